import { expect } from 'chai';
import type { AuditService } from '../../../engine/audit/audit-service.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { auditServices, countedEvent, oneTo } from './audit-fixtures.js';
import { openStorage, rejectionOf, uniqueName, type OpenStorage } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

/** What an attacker with database access runs first: the triggers guarding the rows go. */
const DROP_TRIGGERS = {
  sqlite: ['DROP TRIGGER audit_events_no_update', 'DROP TRIGGER audit_events_no_delete'],
  postgres: ['DROP TRIGGER audit_events_append_only ON audit_events'],
  mssql: ['DROP TRIGGER audit_events_append_only'],
} as const;

interface Tampered {
  readonly opened: OpenStorage;
  readonly audit: AuditService;
  /** A new tenant with `count` records, and its id. */
  tenantWith(count: number): Promise<TenantId>;
  /** Runs SQL on the database under the storage, with `:tenantId` and the like replaced. */
  sql(text: string, replacements?: Record<string, unknown>): Promise<unknown>;
}

/**
 * The rows of `audit_events` as someone with access to the database would reach them: raw SQL
 * on the Sequelize instance under the storage. Each spec takes a database of its own, migrated,
 * since some of them drop the triggers; `sqlite::memory:` is reached through the storage's own
 * instance, because another connection would be another database.
 */
export function auditTamperSpecs(context: SuiteContext): void {
  const services = auditServices();

  async function withDatabase(work: (tampered: Tampered) => Promise<void>): Promise<void> {
    const opened = openStorage(context.fixture, await context.fixture.fresh());
    try {
      await opened.storage.migrate();
      const audit = services.on(opened.storage);
      await work({
        opened,
        audit,
        async tenantWith(count) {
          const tenant = await opened.storage.tenants.create(uniqueName('tampered'));
          for (const n of oneTo(count)) await audit.append(countedEvent(tenant.id, n));
          return tenant.id;
        },
        sql: (text, replacements) => opened.sequelize.query(text, { replacements }),
      });
    } finally {
      await opened.storage.close();
    }
  }

  // Sequelize words the error its own way (on SQLite a "Validation error"); the database's own
  // message is on the error it wraps.
  const expectTriggerError = async (call: () => Promise<unknown>, what: string) => {
    const error = (await rejectionOf(call)) as Error & { parent?: Error; original?: Error };
    const messages = [error, error.parent, error.original].map((inner) => inner?.message);
    expect(messages.join(' | '), what).to.match(/audit_events is append-only/);
  };

  describe('audit_events is append-only', () => {
    it('refuses UPDATE and DELETE in the database itself, and the chain stays whole', async () => {
      await withDatabase(async ({ opened, audit, tenantWith, sql }) => {
        const tenantId = await tenantWith(3);
        const before = await opened.storage.forTenant(tenantId).audit.list();
        const statements = [
          "UPDATE audit_events SET action = 'x'",
          "UPDATE audit_events SET action = 'x' WHERE seq = 2",
          'DELETE FROM audit_events',
          'DELETE FROM audit_events WHERE seq = 3',
        ];
        for (const statement of statements)
          await expectTriggerError(() => sql(statement), statement);
        expect(await opened.storage.forTenant(tenantId).audit.list()).to.deep.equal(before);
        expect(await audit.verify(tenantId)).to.deep.equal({ tenantId, checked: 3 });
      });
    });

    it('without the triggers, verify reports the row whose action was edited', async () => {
      await withDatabase(async ({ opened, audit, tenantWith, sql }) => {
        const tenantId = await tenantWith(5);
        const untouched = await tenantWith(2);
        for (const statement of DROP_TRIGGERS[context.fixture.dialect]) await sql(statement);
        const where = 'WHERE tenant_id = :tenantId AND seq = 3';
        await sql(`UPDATE audit_events SET action = 'auth.nothing-happened' ${where}`, {
          tenantId,
        });
        const records = await opened.storage.forTenant(tenantId).audit.list();
        expect(records[2]?.action, 'the edit went through').to.equal('auth.nothing-happened');
        expect(await audit.verify(tenantId)).to.deep.equal({
          tenantId,
          checked: 3,
          firstBad: { seq: 3, reason: 'hash does not match its content' },
        });
        expect(await audit.verify(untouched)).to.deep.equal({ tenantId: untouched, checked: 2 });
      });
    });

    it('without the triggers, verify reports a deleted last row through the head', async () => {
      await withDatabase(async ({ audit, tenantWith, sql }) => {
        const tenantId = await tenantWith(5);
        expect(await audit.verify(tenantId)).to.deep.equal({ tenantId, checked: 5 });
        for (const statement of DROP_TRIGGERS[context.fixture.dialect]) await sql(statement);
        await sql('DELETE FROM audit_events WHERE tenant_id = :tenantId AND seq = 5', {
          tenantId,
        });
        expect(await audit.verify(tenantId)).to.deep.equal({
          tenantId,
          checked: 4,
          firstBad: { seq: 5, reason: 'the chain ends at 4, the head says 5' },
        });
      });
    });

    it('without the triggers, verify reports a row deleted inside the chain', async () => {
      await withDatabase(async ({ audit, tenantWith, sql }) => {
        const tenantId = await tenantWith(5);
        for (const statement of DROP_TRIGGERS[context.fixture.dialect]) await sql(statement);
        await sql('DELETE FROM audit_events WHERE tenant_id = :tenantId AND seq = 3', {
          tenantId,
        });
        expect(await audit.verify(tenantId)).to.deep.equal({
          tenantId,
          checked: 3,
          firstBad: { seq: 4, reason: 'sequence jumps from 2 to 4' },
        });
      });
    });
  });
}
