import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type {
  CredentialsPatch,
  Member,
  TenantScope,
} from '../../../engine/contracts/storage-contract.js';
import { uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

/** The keys a Member may carry; `lockedAt` only while locked, `groupId` and `ssoId` when set. */
const MEMBER_KEYS = [
  'createdAt',
  'disabled',
  'displayName',
  'email',
  'id',
  'lockedAt',
  'role',
  'secondFactor',
  'ssoDisabled',
  'tenantId',
];

const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
const TOTP_SECRET = 'sealed:v1:totp-secret-under-the-tenant-key';
const ONE_TIME_HASH = 'ab'.repeat(32);

/** A step of 30 s in 2026, far beyond 2^31 ms but a BIGINT that must come back as a number. */
const TOTP_STEP = 59_000_123;

const at = (iso: string) => new Date(iso);

export function credentialSpecs(context: SuiteContext): void {
  const scopeOfNewTenant = async (label: string): Promise<TenantScope> => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    return context.storage.forTenant(tenant.id);
  };
  const newMember = (scope: TenantScope, email = 'someone@example.com'): Promise<Member> =>
    scope.members.create({ email, displayName: 'Some One', role: 'technician' });

  describe('member credentials', () => {
    it('start with no password, no lock and no failed attempts', async () => {
      const scope = await scopeOfNewTenant('cred-new');
      const member = await newMember(scope);
      expect(await scope.members.credentials(member.id)).to.deep.equal({
        mustChangePassword: false,
        failedAttempts: 0,
      });
      expect(member).to.include({ disabled: false, secondFactor: 'none' });
      expect(member).to.not.have.property('lockedAt');
    });

    it('keep the one-time secret given at creation, until a null clears it', async () => {
      const scope = await scopeOfNewTenant('cred-one-time');
      const expiresAt = at('2031-02-03T04:05:06.789Z');
      const member = await scope.members.create({
        email: 'invited@example.com',
        displayName: 'Invited',
        role: 'administrator',
        oneTimeSecretHash: ONE_TIME_HASH,
        oneTimeSecretExpiresAt: expiresAt,
      });
      expect(await scope.members.credentials(member.id)).to.deep.equal({
        mustChangePassword: false,
        failedAttempts: 0,
        oneTimeSecretHash: ONE_TIME_HASH,
        oneTimeSecretExpiresAt: expiresAt,
      });
      const patch = { oneTimeSecretHash: null, oneTimeSecretExpiresAt: null };
      expect(await scope.members.updateCredentials(member.id, patch)).to.equal(true);
      expect(await scope.members.credentials(member.id)).to.deep.equal({
        mustChangePassword: false,
        failedAttempts: 0,
      });
    });

    it('are set by updateCredentials, field by field, and cleared by null', async () => {
      const scope = await scopeOfNewTenant('cred-update');
      const member = await newMember(scope);
      const changedAt = at('2030-01-01T10:00:00.123Z');
      const set: CredentialsPatch = {
        passwordHash: PASSWORD_HASH,
        passwordChangedAt: changedAt,
        mustChangePassword: true,
        totpSecret: TOTP_SECRET,
        totpLastStep: TOTP_STEP,
        phone: '+49 151 2345678',
        failedAttempts: 3,
      };
      expect(await scope.members.updateCredentials(member.id, set)).to.equal(true);
      const { failedAttempts, ...rest } = set;
      expect(await scope.members.credentials(member.id)).to.deep.equal({ ...rest, failedAttempts });

      // A patch that names one field leaves the others as they are.
      expect(await scope.members.updateCredentials(member.id, { phone: '+1 555 0100' })).to.equal(
        true,
      );
      const afterPhone = await scope.members.credentials(member.id);
      expect(afterPhone).to.deep.equal({ ...rest, failedAttempts, phone: '+1 555 0100' });

      const cleared: CredentialsPatch = {
        passwordHash: null,
        passwordChangedAt: null,
        mustChangePassword: false,
        totpSecret: null,
        totpLastStep: null,
        phone: null,
        failedAttempts: 0,
      };
      expect(await scope.members.updateCredentials(member.id, cleared)).to.equal(true);
      expect(await scope.members.credentials(member.id)).to.deep.equal({
        mustChangePassword: false,
        failedAttempts: 0,
      });
    });

    it('set the member state through updateCredentials: disabled, lock, 2nd factor', async () => {
      const scope = await scopeOfNewTenant('cred-state');
      const member = await newMember(scope);
      const lockedAt = at('2030-05-06T07:08:09.010Z');
      const patch = { disabled: true, lockedAt, secondFactor: 'totp' } as const;
      expect(await scope.members.updateCredentials(member.id, patch)).to.equal(true);
      const changed = await scope.members.findById(member.id);
      expect(changed).to.deep.equal({ ...member, ...patch });
      const undo = { disabled: false, lockedAt: null, secondFactor: 'none' } as const;
      expect(await scope.members.updateCredentials(member.id, undo)).to.equal(true);
      expect(await scope.members.findById(member.id)).to.deep.equal(member);
    });

    it('answer false and undefined for an unknown id or one that is not a UUID', async () => {
      const scope = await scopeOfNewTenant('cred-unknown');
      await newMember(scope);
      for (const id of [randomUUID(), 'not-a-uuid', '', "x' OR '1'='1"]) {
        expect(await scope.members.credentials(id), id).to.equal(undefined);
        const patch = { passwordHash: PASSWORD_HASH };
        expect(await scope.members.updateCredentials(id, patch), id).to.equal(false);
      }
    });

    it("are out of reach of another tenant's scope: read, update and failed attempts", async () => {
      const a = await scopeOfNewTenant('cred-owner');
      const b = await scopeOfNewTenant('cred-intruder');
      const member = await newMember(a);
      await a.members.updateCredentials(member.id, { passwordHash: PASSWORD_HASH });
      const before = await a.members.credentials(member.id);

      expect(await b.members.credentials(member.id)).to.equal(undefined);
      const takeOver = { passwordHash: 'attacker', mustChangePassword: false, disabled: true };
      expect(await b.members.updateCredentials(member.id, takeOver)).to.equal(false);
      expect(await b.members.recordFailedAttempt(member.id, 1, new Date())).to.deep.equal({
        failedAttempts: 0,
        locked: false,
      });

      expect(await a.members.credentials(member.id)).to.deep.equal(before);
      expect(await a.members.findById(member.id)).to.deep.equal(member);
    });

    it('never ride along on a Member, whether found by id, by e-mail or listed', async () => {
      const scope = await scopeOfNewTenant('cred-hidden');
      const member = await newMember(scope, 'hidden@example.com');
      const secrets = {
        passwordHash: PASSWORD_HASH,
        totpSecret: TOTP_SECRET,
        oneTimeSecretHash: ONE_TIME_HASH,
        phone: '+44 7700 900123',
      };
      const patch = { ...secrets, totpLastStep: TOTP_STEP, lockedAt: new Date() };
      await scope.members.updateCredentials(member.id, patch);
      const seen = [
        await scope.members.findById(member.id),
        await scope.members.findByEmail('hidden@example.com'),
        ...(await scope.members.list()).items,
      ];
      expect(seen).to.have.length(3);
      for (const found of seen) {
        expect(MEMBER_KEYS).to.include.members(Object.keys(found ?? { missing: true }));
        expect(found).to.have.property('lockedAt');
        const text = JSON.stringify(found);
        for (const [name, secret] of Object.entries(secrets)) {
          expect(text, name).to.not.include(secret);
        }
      }
    });
  });

  describe('recordFailedAttempt', () => {
    it('counts 1, 2, 3 ... and locks exactly once, on reaching lockAt', async () => {
      const scope = await scopeOfNewTenant('attempts');
      const member = await newMember(scope);
      const times = [1, 2, 3, 4, 5].map((n) => at(`2030-01-01T00:00:0${n}.000Z`));
      const results = [];
      for (const now of times)
        results.push(await scope.members.recordFailedAttempt(member.id, 3, now));
      expect(results).to.deep.equal([
        { failedAttempts: 1, locked: false },
        { failedAttempts: 2, locked: false },
        { failedAttempts: 3, locked: true },
        { failedAttempts: 4, locked: false },
        { failedAttempts: 5, locked: false },
      ]);
      expect((await scope.members.findById(member.id))?.lockedAt).to.deep.equal(times[2]);
      expect((await scope.members.credentials(member.id))?.failedAttempts).to.equal(5);
    });

    it('counts from 1 again and locks again once an administrator reset the count', async () => {
      const scope = await scopeOfNewTenant('attempts-reset');
      const member = await newMember(scope);
      const first = at('2030-01-01T00:00:00.000Z');
      expect(await scope.members.recordFailedAttempt(member.id, 1, first)).to.deep.equal({
        failedAttempts: 1,
        locked: true,
      });
      await scope.members.updateCredentials(member.id, { failedAttempts: 0, lockedAt: null });
      expect(await scope.members.findById(member.id)).to.not.have.property('lockedAt');
      const second = at('2030-01-02T00:00:00.000Z');
      expect(await scope.members.recordFailedAttempt(member.id, 2, second)).to.deep.equal({
        failedAttempts: 1,
        locked: false,
      });
      expect(await scope.members.recordFailedAttempt(member.id, 2, second)).to.deep.equal({
        failedAttempts: 2,
        locked: true,
      });
      expect((await scope.members.findById(member.id))?.lockedAt).to.deep.equal(second);
    });

    it('counts nothing for an unknown id or one that is not a UUID', async () => {
      const scope = await scopeOfNewTenant('attempts-unknown');
      const member = await newMember(scope);
      for (const id of [randomUUID(), 'not-a-uuid', '', "x' OR '1'='1"]) {
        const counted = await scope.members.recordFailedAttempt(id, 1, new Date());
        expect(counted, id).to.deep.equal({ failedAttempts: 0, locked: false });
      }
      expect((await scope.members.credentials(member.id))?.failedAttempts).to.equal(0);
    });

    it('counts 10 attempts made at once exactly 10 times and locks exactly once', async () => {
      const scope = await scopeOfNewTenant('attempts-at-once');
      const member = await newMember(scope, 'target@example.com');
      const bystander = await newMember(scope, 'bystander@example.com');
      const now = at('2030-03-03T03:03:03.303Z');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => scope.members.recordFailedAttempt(member.id, 5, now)),
      );
      expect(
        results.filter((result) => result.locked),
        'locked',
      ).to.have.length(1);
      for (const result of results) expect(result.failedAttempts).to.be.within(1, 10);
      expect((await scope.members.credentials(member.id))?.failedAttempts).to.equal(10);
      expect((await scope.members.findById(member.id))?.lockedAt).to.deep.equal(now);
      expect((await scope.members.credentials(bystander.id))?.failedAttempts).to.equal(0);
      expect(await scope.members.findById(bystander.id)).to.not.have.property('lockedAt');
    });
  });
}
