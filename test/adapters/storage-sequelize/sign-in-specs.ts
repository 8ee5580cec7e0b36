import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type {
  NewSignInSession,
  SignInSession,
  TenantScope,
} from '../../../engine/contracts/storage-contract.js';
import { expectRejects, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const at = (iso: string) => new Date(iso);

/** A browser sign-in of `memberId` with every optional field filled in. */
function newSession(memberId: string, extra: Partial<NewSignInSession> = {}): NewSignInSession {
  return {
    memberId,
    tokenHash: sha256(randomBytes(32).toString('hex')),
    client: 'browser',
    state: 'password-change-required',
    csrfHash: sha256(randomBytes(32).toString('hex')),
    createdAt: at('2030-01-01T08:00:00.001Z'),
    lastSeenAt: at('2030-01-01T08:00:00.002Z'),
    authenticatedAt: at('2030-01-01T08:00:00.003Z'),
    expiresAt: at('2030-01-01T20:00:00.004Z'),
    ip: '2001:db8::7',
    pending: { step: 'first', codes: [1, 2, 3], nested: { ok: true, none: null } },
    ...extra,
  };
}

/** What the repository hands back for `session`: everything but the token hash. */
function asStored(session: NewSignInSession, id: string): SignInSession {
  const { tokenHash: _tokenHash, ...rest } = session;
  return { id, ...rest };
}

export function signInSpecs(context: SuiteContext): void {
  const tenantWithMember = async (label: string, email = 'signer@example.com') => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    const scope = context.storage.forTenant(tenant.id);
    const member = await scope.members.create({ email, displayName: email, role: 'technician' });
    return { scope, member };
  };
  const revokedAt = async (scope: TenantScope, id: string) =>
    (await scope.signIns.findById(id))?.revokedAt;

  describe('sign-in sessions', () => {
    it('creates a sign-in and finds it by the hash of its token and by its id', async () => {
      const { scope, member } = await tenantWithMember('sign-in');
      const input = newSession(member.id);
      const created = await scope.signIns.create(input);
      expect(created).to.deep.equal(asStored(input, created.id));
      expect(await scope.signIns.findByTokenHash(input.tokenHash)).to.deep.equal(created);
      expect(await scope.signIns.findById(created.id)).to.deep.equal(created);
      expect(await scope.signIns.findByTokenHash(sha256('another token'))).to.equal(undefined);
      expect(await scope.signIns.findById(randomUUID())).to.equal(undefined);
      expect(await scope.signIns.findById('not-a-uuid')).to.equal(undefined);
    });

    it('stores an API sign-in without the optional fields, and leaves them out', async () => {
      const { scope, member } = await tenantWithMember('sign-in-api');
      const { csrfHash: _c, ip: _i, pending: _p, ...bare } = newSession(member.id);
      const input: NewSignInSession = { ...bare, client: 'api', state: 'active' };
      const created = await scope.signIns.create(input);
      const found = await scope.signIns.findByTokenHash(input.tokenHash);
      expect(found).to.deep.equal(asStored(input, created.id));
      for (const absent of ['csrfHash', 'ip', 'pending', 'revokedAt']) {
        expect(found, absent).to.not.have.property(absent);
      }
    });

    it("is out of reach of another tenant's scope: find, update, revoke", async () => {
      const a = await tenantWithMember('sign-in-owner');
      const b = await tenantWithMember('sign-in-intruder');
      const input = newSession(a.member.id);
      const created = await a.scope.signIns.create(input);
      expect(await b.scope.signIns.findByTokenHash(input.tokenHash)).to.equal(undefined);
      expect(await b.scope.signIns.findById(created.id)).to.equal(undefined);
      await b.scope.signIns.update(created.id, { state: 'active', pending: null });
      await b.scope.signIns.revoke(created.id, new Date());
      expect(await b.scope.signIns.revokeAllOf(a.member.id, new Date())).to.equal(0);
      expect(await a.scope.signIns.findById(created.id)).to.deep.equal(created);
    });

    it('updates state, times and pending, keeping what the patch does not name', async () => {
      const { scope, member } = await tenantWithMember('sign-in-update');
      const created = await scope.signIns.create(newSession(member.id));
      const pending = { totp: 'sealed:abc', email: { hash: 'ff'.repeat(32), expiresAt: 17 } };
      const patch = {
        state: 'second-factor-setup-required',
        lastSeenAt: at('2030-01-01T09:00:00.100Z'),
        authenticatedAt: at('2030-01-01T09:00:00.200Z'),
        expiresAt: at('2030-01-01T21:00:00.300Z'),
        pending,
      } as const;
      await scope.signIns.update(created.id, patch);
      expect(await scope.signIns.findById(created.id)).to.deep.equal({ ...created, ...patch });

      await scope.signIns.update(created.id, { state: 'active' });
      const active = await scope.signIns.findById(created.id);
      expect(active).to.deep.equal({ ...created, ...patch, state: 'active' });
    });

    it('clears pending when the patch gives null', async () => {
      const { scope, member } = await tenantWithMember('sign-in-clear');
      const created = await scope.signIns.create(newSession(member.id));
      expect(created.pending).to.not.equal(undefined);
      await scope.signIns.update(created.id, { pending: null });
      const found = await scope.signIns.findById(created.id);
      expect(found).to.not.have.property('pending');
      const { pending: _pending, ...rest } = created;
      expect(found).to.deep.equal(rest);
    });

    it('revokes a sign-in once: a second revoke does not move revokedAt', async () => {
      const { scope, member } = await tenantWithMember('sign-in-revoke');
      const input = newSession(member.id);
      const created = await scope.signIns.create(input);
      const first = at('2030-01-01T10:00:00.000Z');
      await scope.signIns.revoke(created.id, first);
      expect(await scope.signIns.findById(created.id)).to.deep.equal({
        ...created,
        revokedAt: first,
      });
      await scope.signIns.revoke(created.id, at('2030-01-01T11:00:00.000Z'));
      expect(await revokedAt(scope, created.id)).to.deep.equal(first);
      const byToken = await scope.signIns.findByTokenHash(input.tokenHash);
      expect(byToken?.revokedAt, 'found by token, and seen to be revoked').to.deep.equal(first);
    });

    it('revokes every open sign-in of a member but the one kept, and counts them', async () => {
      const { scope, member } = await tenantWithMember('sign-in-all', 'many@example.com');
      const other = await scope.members.create({
        email: 'other@example.com',
        displayName: 'Other',
        role: 'technician',
      });
      const mine = [];
      for (let i = 0; i < 4; i += 1) mine.push(await scope.signIns.create(newSession(member.id)));
      const [kept, closedBefore, ...open] = mine as [SignInSession, SignInSession, SignInSession];
      const theirs = await scope.signIns.create(newSession(other.id));
      const earlier = at('2030-01-01T10:00:00.000Z');
      await scope.signIns.revoke(closedBefore.id, earlier);

      const now = at('2030-01-01T12:00:00.000Z');
      expect(await scope.signIns.revokeAllOf(member.id, now, kept.id)).to.equal(open.length);
      for (const session of open) expect(await revokedAt(scope, session.id)).to.deep.equal(now);
      expect(await revokedAt(scope, closedBefore.id), 'already revoked').to.deep.equal(earlier);
      expect(await revokedAt(scope, kept.id), 'kept').to.equal(undefined);
      expect(await revokedAt(scope, theirs.id), 'other member').to.equal(undefined);

      expect(await scope.signIns.revokeAllOf(member.id, now, kept.id)).to.equal(0);
      expect(await scope.signIns.revokeAllOf(member.id, now)).to.equal(1);
      expect(await revokedAt(scope, kept.id)).to.deep.equal(now);
      expect(await revokedAt(scope, theirs.id), 'other member').to.equal(undefined);
      expect(await scope.signIns.revokeAllOf('not-a-uuid', now)).to.equal(0);
    });

    it('sweeps sign-ins expired or revoked before a time, in its tenant only', async () => {
      const a = await tenantWithMember('sign-in-sweep');
      const b = await tenantWithMember('sign-in-sweep-other');
      const cut = at('2030-01-10T00:00:00.000Z');
      const before = at('2030-01-09T23:59:59.999Z');
      const after = at('2030-01-10T00:00:00.001Z');
      const make = (scope: TenantScope, memberId: string, expiresAt: Date) =>
        scope.signIns.create(newSession(memberId, { expiresAt }));
      const expired = await make(a.scope, a.member.id, before);
      const expiresAtCut = await make(a.scope, a.member.id, cut);
      const live = await make(a.scope, a.member.id, after);
      const revokedBefore = await make(a.scope, a.member.id, after);
      const revokedAfter = await make(a.scope, a.member.id, after);
      await a.scope.signIns.revoke(revokedBefore.id, before);
      await a.scope.signIns.revoke(revokedAfter.id, after);
      const othersExpired = await make(b.scope, b.member.id, before);

      expect(await a.scope.signIns.sweep(cut)).to.equal(2);
      expect(await a.scope.signIns.findById(expired.id)).to.equal(undefined);
      expect(await a.scope.signIns.findById(revokedBefore.id)).to.equal(undefined);
      for (const kept of [expiresAtCut, live, revokedAfter]) {
        expect(await a.scope.signIns.findById(kept.id), kept.id).to.not.equal(undefined);
      }
      expect(await b.scope.signIns.findById(othersExpired.id), 'other tenant').to.not.equal(
        undefined,
      );
      expect(await a.scope.signIns.sweep(cut)).to.equal(0);
    });

    it('refuses a second sign-in with the same token hash with TETHER_E_CONFLICT', async () => {
      const a = await tenantWithMember('sign-in-dup-a');
      const b = await tenantWithMember('sign-in-dup-b');
      const input = newSession(a.member.id);
      const created = await a.scope.signIns.create(input);
      await expectRejects(
        () => a.scope.signIns.create({ ...newSession(a.member.id), tokenHash: input.tokenHash }),
        'TETHER_E_CONFLICT',
      );
      await expectRejects(
        () => b.scope.signIns.create({ ...newSession(b.member.id), tokenHash: input.tokenHash }),
        'TETHER_E_CONFLICT',
      );
      expect(await a.scope.signIns.findByTokenHash(input.tokenHash)).to.deep.equal(created);
      expect(await b.scope.signIns.findByTokenHash(input.tokenHash)).to.equal(undefined);
    });
  });
}
