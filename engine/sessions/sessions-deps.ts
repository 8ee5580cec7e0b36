import type { AuditActor, AuditLog } from '../contracts/audit-log-contract.js';
import type { Bus } from '../contracts/bus-contract.js';
import type { Clock } from '../contracts/clock-contract.js';
import type { JsonValue } from '../contracts/json-value.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Permission } from '../contracts/permission-contract.js';
import type { Storage, SupportSessionRecord, TenantId } from '../contracts/storage-contract.js';
import type { SessionEvents } from './session-events.js';
import type { SessionSigningKey } from './session-signing-key.js';
import type { SessionStateMachine } from './session-state-machine.js';

/** The settings the sessions service reads. */
export interface SessionSettings {
  /** How long a join code stays usable. */
  readonly joinCodeMinutes: number;
  /** How long an end user may be gone before the session closes with `connection-lost`. */
  readonly graceSeconds: number;
  /** The engine's public https URL, as end users reach it (no trailing slash). */
  readonly publicUrl: () => string;
}

/** What the parts of the sessions service share. */
export interface SessionsDeps {
  readonly storage: Storage;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly bus: Bus;
  readonly permission: Permission;
  readonly machine: SessionStateMachine;
  readonly events: SessionEvents;
  readonly signingKey: SessionSigningKey;
  readonly settings: SessionSettings;
  readonly logger: Logger;
}

/** One audit record about a session; never the code, secret or GUID, only the ref. */
export interface SessionAuditEvent {
  readonly tenantId: TenantId;
  readonly action: string;
  readonly actor: AuditActor;
  readonly session: SupportSessionRecord;
  readonly ip?: string;
  readonly details?: JsonValue;
}

/** Writes a session audit record; a failure is logged loudly and fails the caller. */
export async function auditSession(deps: SessionsDeps, event: SessionAuditEvent): Promise<void> {
  const { session } = event;
  try {
    await deps.audit.append({
      tenantId: event.tenantId,
      action: event.action,
      actor: event.actor,
      target: { kind: 'session', id: session.ref },
      ...(session.groupId ? { nodeId: session.groupId } : {}),
      ...(event.ip ? { ip: event.ip } : {}),
      ...(event.details !== undefined ? { details: event.details } : {}),
    });
  } catch (error) {
    deps.logger.error({ err: error, action: event.action }, 'audit append failed');
    throw error;
  }
}

/** The gateway URL participants connect to: the public URL with wss and `/gateway`. */
export function gatewayUrlOf(publicUrl: string): string {
  const url = new URL(publicUrl);
  url.protocol = 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/gateway`;
  return url.toString();
}
