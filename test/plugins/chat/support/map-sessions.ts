import type { Container } from 'inversify';
import { ContentCipher } from '../../../../engine/contracts/content-cipher-contract.js';
import type { Disposable } from '../../../../engine/contracts/disposable.js';
import { KeyStore } from '../../../../engine/contracts/key-store-contract.js';
import {
  Sessions,
  type SupportSessionEvent,
  type SupportSessionSummary,
} from '../../../../engine/contracts/sessions-contract.js';
import type { TenantId } from '../../../../engine/contracts/storage-contract.js';
import { TenantCipher } from '../../../../engine/crypto/tenant-cipher.js';

/** What a test says about a session it opens; the rest gets plain defaults. */
export interface SessionSpec {
  readonly tenantId: TenantId;
  readonly ref: string;
  readonly technicianIds: readonly string[];
  readonly chatText?: 'store' | 'omit';
}

/**
 * A stand-in for the sessions service, which is written elsewhere and not bound in this
 * worktree's engine yet: sessions held in a Map, found by tenant and ref as the real contract
 * promises. Once the real service is bound, tests open sessions through it instead.
 */
export class MapSessions implements Sessions {
  private readonly sessions = new Map<string, SupportSessionSummary>();
  private readonly handlers = new Set<(event: SupportSessionEvent) => void>();

  /** Makes (or replaces) a session and tells the listeners. */
  open(spec: SessionSpec): SupportSessionSummary {
    const session: SupportSessionSummary = {
      tenantId: spec.tenantId,
      ref: spec.ref,
      state: 'active',
      ownerMemberId: spec.technicianIds[0],
      technicianIds: [...spec.technicianIds],
      policy: { chatText: spec.chatText ?? 'store' },
      createdAt: new Date(),
    };
    this.sessions.set(`${spec.tenantId}/${spec.ref}`, session);
    for (const handler of this.handlers) handler({ kind: 'created', session });
    return session;
  }

  async find(tenantId: TenantId, ref: string): Promise<SupportSessionSummary | undefined> {
    return this.sessions.get(`${tenantId}/${ref}`);
  }

  onEvent(handler: (event: SupportSessionEvent) => void): Disposable {
    this.handlers.add(handler);
    return { dispose: () => void this.handlers.delete(handler) };
  }
}

/**
 * `startTestEngine({ configure })` for the chat plugin while Sessions and ContentCipher are not
 * bound by the engine: `sessions` as Sessions, the engine's real TenantCipher (over the key store
 * the modules bind) as ContentCipher.
 */
export function bindChatContracts(sessions: MapSessions): (root: Container) => void {
  return (root) => {
    root.bind(Sessions).toConstantValue(sessions);
    root
      .bind(ContentCipher)
      .toDynamicValue((context) => new TenantCipher(context.get<KeyStore>(KeyStore)));
  };
}
