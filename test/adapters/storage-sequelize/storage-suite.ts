import { expect } from 'chai';
import type { DatabaseTarget } from '../../../adapters/storage-sequelize/connect-database.js';
import type { SequelizeStorage } from '../../../adapters/storage-sequelize/sequelize-storage.js';
import { attemptWindowSpecs } from './attempt-window-specs.js';
import { auditSpecs } from './audit-specs.js';
import { auditTamperSpecs } from './audit-tamper-specs.js';
import { credentialSpecs } from './credential-specs.js';
import { memberSpecs } from './member-specs.js';
import { pluginRecordIndexSpecs } from './plugin-record-index-specs.js';
import { pluginRecordSpecs } from './plugin-record-specs.js';
import { policySpecs } from './policy-specs.js';
import { sessionSpecs } from './session-specs.js';
import { signInSpecs } from './sign-in-specs.js';
import {
  ALL_MIGRATIONS,
  expectRejects,
  openStorage,
  type OpenStorage,
  type StorageFixture,
} from './storage-fixtures.js';
import { tenantGuardSpecs } from './tenant-guard-specs.js';
import { tenantSpecs } from './tenant-specs.js';
import { transactionSpecs } from './transaction-specs.js';

/** What the specs of one suite share: a migrated storage on a database of the suite's own. */
export interface SuiteContext {
  readonly fixture: StorageFixture;
  readonly storage: SequelizeStorage;
  readonly target: DatabaseTarget;
}

function sharedContext(fixture: StorageFixture): SuiteContext & {
  open(): Promise<void>;
  close(): Promise<void>;
} {
  let opened: OpenStorage | undefined;
  let target: DatabaseTarget | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite storage is not open');
    return value;
  };
  return {
    fixture,
    get storage() {
      return ready(opened).storage;
    },
    get target() {
      return ready(target);
    },
    async open() {
      target = await fixture.fresh();
      opened = openStorage(fixture, target);
      await opened.storage.migrate();
    },
    async close() {
      await opened?.storage.close();
      opened = undefined;
    },
  };
}

function migrationSpecs(fixture: StorageFixture): void {
  describe('migrate and pendingMigrations', () => {
    it('apply every migration to an empty database, then nothing on a second run', async () => {
      const { storage } = openStorage(fixture, await fixture.fresh());
      try {
        expect(await storage.pendingMigrations()).to.deep.equal(ALL_MIGRATIONS);
        expect(await storage.migrate()).to.deep.equal(ALL_MIGRATIONS);
        expect(await storage.pendingMigrations()).to.deep.equal([]);
        expect(await storage.migrate()).to.deep.equal([]);
        expect(await storage.tenants.count()).to.equal(0);
      } finally {
        await storage.close();
      }
    });

    it('leave the schema usable: a migrated database stores and reads a tenant', async () => {
      const { storage } = openStorage(fixture, await fixture.fresh());
      try {
        await storage.migrate();
        const tenant = await storage.tenants.create('after-migrate');
        expect(await storage.tenants.findById(tenant.id)).to.deep.equal(tenant);
      } finally {
        await storage.close();
      }
    });
  });
}

function pingSpecs(fixture: StorageFixture): void {
  describe('ping and close', () => {
    it('answer ping while open, and reject it with TETHER_E_STORAGE once closed', async () => {
      const { storage } = openStorage(fixture, await fixture.fresh());
      let closed = false;
      try {
        await storage.ping();
        await storage.close();
        closed = true;
        await expectRejects(() => storage.ping(), 'TETHER_E_STORAGE');
      } finally {
        if (!closed) await storage.close();
      }
    });
  });
}

/**
 * The behaviour the Storage contract promises, run against one database. Each spec makes its
 * own tenants (unique names), so the specs do not depend on each other or on their order.
 */
export function storageSuite(makeFixture: () => StorageFixture): void {
  const fixture = makeFixture();
  describe(`SequelizeStorage on ${fixture.label}`, () => {
    const context = sharedContext(fixture);

    before(async () => {
      await fixture.setUp();
      await context.open();
    });

    after(async () => {
      try {
        await context.close();
      } finally {
        await fixture.tearDown();
      }
    });

    it(`reports the dialect ${fixture.dialect}`, () => {
      expect(context.storage.dialect).to.equal(fixture.dialect);
    });

    migrationSpecs(fixture);
    pingSpecs(fixture);
    tenantSpecs(context);
    memberSpecs(context);
    credentialSpecs(context);
    signInSpecs(context);
    policySpecs(context);
    auditSpecs(context);
    auditTamperSpecs(context);
    pluginRecordSpecs(context);
    pluginRecordIndexSpecs(context);
    transactionSpecs(context);
    tenantGuardSpecs(context);
    sessionSpecs(context);
    attemptWindowSpecs(context);
  });
}
