import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  addMember,
  auditOf,
  expectError,
  login,
  loginOk,
  sessionOf,
  setPolicy,
  tenantScope,
  tokenHash,
} from '../../support/identity-helpers.js';
import { TestClock } from '../../support/test-clock.js';

const PASSWORD = 'a long enough member passphrase 31';
const WRONG = 'certainly not the passphrase';

describe('sign-in lifetime', () => {
  // One engine and one clock that only moves forward; each test signs in a member of its own.
  const clock = new TestClock();
  let engine: TestEngine;
  let serial = 0;

  before(async () => {
    engine = await startTestEngine({ configure: clock.install });
  });
  beforeEach(() => setPolicy(engine, {}));
  after(() => engine?.stop());

  /** A new member with PASSWORD; resolves with the e-mail and id. */
  async function newMember(): Promise<{ email: string; id: string }> {
    serial += 1;
    const email = `member-${serial}@example.com`;
    return { email, id: await addMember(engine, email, PASSWORD) };
  }

  async function signedOutReasons(memberId: string): Promise<unknown[]> {
    const records = await auditOf(engine, 'auth.signed-out');
    return records
      .filter((record) => record.target?.id === memberId)
      .map((record) => (record.details as { reason?: unknown }).reason);
  }

  it('ends an API sign-in idle for 31 minutes, and audits it as idle', async () => {
    const member = await newMember();
    const { headers } = await loginOk(engine, member.email, PASSWORD);
    expect((await sessionOf(engine, headers)).status).to.equal(200);

    clock.advanceMinutes(31);
    expectError(await sessionOf(engine, headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expectError(await sessionOf(engine, headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expect(await signedOutReasons(member.id)).to.deep.equal(['idle']);
    await loginOk(engine, member.email, PASSWORD);
  });

  it('keeps a sign-in used every 20 minutes alive past 30 minutes', async () => {
    const member = await newMember();
    const { headers, body } = await loginOk(engine, member.email, PASSWORD);
    const firstDeadline = Date.parse(body.expiresAt);
    for (let round = 1; round <= 4; round += 1) {
      clock.advanceMinutes(20);
      const answer = await sessionOf(engine, headers);
      expect(answer.status, `after ${round * 20} minutes: ${answer.text}`).to.equal(200);
    }
    const now = (await sessionOf(engine, headers)).json as { expiresAt: string };
    expect(Date.parse(now.expiresAt)).to.be.greaterThan(firstDeadline + 60 * 60_000);
    expect(await signedOutReasons(member.id)).to.deep.equal([]);
  });

  it('honours a shorter idle limit from the policy', async () => {
    await setPolicy(engine, { session: { idleMinutes: 5 } });
    const member = await newMember();
    const { headers } = await loginOk(engine, member.email, PASSWORD);
    clock.advanceMinutes(4);
    expect((await sessionOf(engine, headers)).status).to.equal(200);
    clock.advanceMinutes(6);
    expectError(await sessionOf(engine, headers), 401, 'TETHER_E_SESSION_EXPIRED');
  });

  it('asks a sign-in kept alive past reauthHours 1 to sign in again', async () => {
    await setPolicy(engine, { session: { reauthHours: 1 } });
    const member = await newMember();
    const { headers } = await loginOk(engine, member.email, PASSWORD);
    let elapsed = 0;
    for (const minutes of [20, 40, 59]) {
      clock.advanceMinutes(minutes - elapsed);
      elapsed = minutes;
      expect((await sessionOf(engine, headers)).status, `at ${minutes} minutes`).to.equal(200);
    }
    clock.advanceMinutes(2);
    expectError(await sessionOf(engine, headers), 401, 'TETHER_E_REAUTH_REQUIRED');
    expectError(await sessionOf(engine, headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expect(await signedOutReasons(member.id)).to.deep.equal(['re-authentication-due']);

    const again = await loginOk(engine, member.email, PASSWORD);
    expect((await sessionOf(engine, again.headers)).status).to.equal(200);
  });

  it('locks after five wrong passwords and ends the sign-ins the member had', async () => {
    const member = await newMember();
    const open = await loginOk(engine, member.email, PASSWORD);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expectError(await login(engine, member.email, WRONG), 401, 'TETHER_E_SIGN_IN_FAILED');
    }
    expectError(await login(engine, member.email, PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');
    expectError(await sessionOf(engine, open.headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expect(await signedOutReasons(member.id)).to.deep.equal(['account-unavailable']);
  });

  it('lifts a 15-minute lock after 16 minutes, and counts failures afresh', async () => {
    await setPolicy(engine, { lockout: { maxAttempts: 5, unlockAfterMinutes: 15 } });
    const member = await newMember();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expectError(await login(engine, member.email, WRONG), 401, 'TETHER_E_SIGN_IN_FAILED');
    }
    const lockedAt = (await tenantScope(engine).members.findById(member.id))?.lockedAt;
    expect(lockedAt, 'locked').to.be.instanceOf(Date);

    clock.advanceMinutes(14);
    expectError(await login(engine, member.email, PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');
    clock.advanceMinutes(2);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expectError(await login(engine, member.email, WRONG), 401, 'TETHER_E_SIGN_IN_FAILED');
    }
    const credentials = await tenantScope(engine).members.credentials(member.id);
    expect(credentials?.failedAttempts).to.equal(4);
    const { body } = await loginOk(engine, member.email, PASSWORD);
    expect(body.state).to.equal('active');

    const unlocked = await auditOf(engine, 'auth.account.unlocked');
    expect(unlocked.filter((record) => record.target?.id === member.id)).to.have.length(1);
  });

  it("ends a member's other sign-ins when the password changes elsewhere", async () => {
    const member = await newMember();
    const one = await loginOk(engine, member.email, PASSWORD);
    const other = await loginOk(engine, member.email, PASSWORD);
    const newPassword = 'a completely new passphrase for 2026';
    const change = await engine.request('/api/v1/auth/password', {
      method: 'POST',
      headers: one.headers,
      body: { currentPassword: PASSWORD, newPassword },
    });
    expect(change.status, change.text).to.equal(200);
    expect(change.json).to.deep.equal({ state: 'active' });

    expectError(await sessionOf(engine, other.headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expect((await sessionOf(engine, one.headers)).status).to.equal(200);
    expectError(await login(engine, member.email, PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');
    await loginOk(engine, member.email, newPassword);
    const changed = await auditOf(engine, 'auth.password.changed');
    const mine = changed.filter((record) => record.actor.id === member.id);
    expect(mine.map((record) => record.details)).to.deep.equal([{ otherSignInsEnded: 1 }]);
  });

  it('keeps the other sign-ins when the current password given is wrong', async () => {
    const member = await newMember();
    const one = await loginOk(engine, member.email, PASSWORD);
    const other = await loginOk(engine, member.email, PASSWORD);
    const change = await engine.request('/api/v1/auth/password', {
      method: 'POST',
      headers: one.headers,
      body: { currentPassword: WRONG, newPassword: 'a completely new passphrase for 2026' },
    });
    expectError(change, 401, 'TETHER_E_SIGN_IN_FAILED');
    expect((await sessionOf(engine, other.headers)).status).to.equal(200);
    await loginOk(engine, member.email, PASSWORD);
  });

  // Last in this file: it moves the shared clock on by a week.
  it('deletes a sign-in a week after it ended; its token stays refused', async () => {
    const member = await newMember();
    const stored = (headers: Record<string, string>) =>
      tenantScope(engine).signIns.findByTokenHash(tokenHash(headers));
    const signedOut = await loginOk(engine, member.email, PASSWORD);
    const logout = { method: 'POST', headers: signedOut.headers } as const;
    expect((await engine.request('/api/v1/auth/logout', logout)).status).to.equal(204);
    const idle = await loginOk(engine, member.email, PASSWORD);

    clock.advanceMinutes(7 * 24 * 60 + 1);
    const next = await loginOk(engine, member.email, PASSWORD);
    expect(await stored(signedOut.headers), 'signed out over a week ago').to.equal(undefined);
    expect(await stored(idle.headers), 'idle for less than a week').to.not.equal(undefined);
    expectError(await sessionOf(engine, signedOut.headers), 401, 'TETHER_E_SESSION_EXPIRED');

    clock.advanceMinutes(30);
    await loginOk(engine, member.email, PASSWORD);
    expect(await stored(idle.headers), 'idle for over a week').to.equal(undefined);
    expect(await stored(next.headers), 'idle for 30 minutes').to.not.equal(undefined);
  });
});
