import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileKeyStore } from '../../../adapters/key-store-file/file-key-store.js';
import { AuditService } from '../../../engine/audit/audit-service.js';
import type { AuditEvent } from '../../../engine/contracts/audit-log-contract.js';
import type { Storage, TenantId } from '../../../engine/contracts/storage-contract.js';
import { SystemClock } from '../../../engine/kernel/system-clock.js';
import { silentLogger } from './storage-fixtures.js';

/** Makes AuditServices on any storage, all sealing under one key, as the nodes of one install. */
export interface AuditServices {
  on(storage: Storage): AuditService;
}

/**
 * A FileKeyStore in a temporary folder for the `describe` this is called in (made in `before`,
 * removed in `after`), and AuditServices that use it with the real clock.
 */
export function auditServices(): AuditServices {
  let folder: string | undefined;
  let keys: FileKeyStore | undefined;
  before(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'tether-audit-keys-'));
    keys = await FileKeyStore.open(path.join(folder, 'keys'), randomBytes(32));
  });
  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return {
    on(storage) {
      if (!keys) throw new Error('the key store is not open');
      return new AuditService(storage, keys, new SystemClock(), silentLogger);
    },
  };
}

/** A small event of `tenantId`, told apart by `n` in its details. */
export function countedEvent(
  tenantId: TenantId,
  n: number,
  extra: Partial<AuditEvent> = {},
): AuditEvent {
  return {
    tenantId,
    action: 'test.counted',
    actor: { kind: 'member', id: 'member-1' },
    details: { n },
    ...extra,
  };
}

/** 1, 2, ..., n. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
