import { expect } from 'chai';
import type { TestResponse } from '../../../sdk/testing/https-request.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  addGroup,
  auditOf,
  expectAuditChainWhole,
  expectError,
  signedInMember,
  type SignedInMember,
} from '../../support/identity-helpers.js';

type Headers = Record<string, string>;
interface AuditItem {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly nodeId?: string;
  readonly target?: { readonly kind: string; readonly id?: string };
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The policy of a tenant that never set one, written out here rather than taken from the code. */
const DEFAULTS = {
  password: { minLength: 12, minStrength: 3 },
  lockout: { maxAttempts: 5 },
  secondFactor: { required: 'nobody', methods: ['totp', 'email'] },
  session: { idleMinutes: 30, reauthHours: 12 },
  ipAllowList: [],
  sso: { enabled: false },
  sessions: { chatText: 'store' },
};

const messageOf = (answer: TestResponse) =>
  (answer.json as { error: { message: string } }).error.message;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('policy and audit administration API', () => {
  let engine: TestEngine;
  let master: Headers;
  const group = { a: '', a1: '', b: '' };
  let scoped: SignedInMember;
  let tech: SignedInMember;

  const send = (headers: Headers, method: string, path: string, body?: unknown) =>
    engine.request(path, { method, headers, body });
  const policy = async () => {
    const answer = await send(master, 'GET', '/api/v1/policy');
    expect(answer.status, answer.text).to.equal(200);
    return answer.json;
  };
  const audit = async (headers: Headers, query: string) => {
    const answer = await send(headers, 'GET', `/api/v1/audit?limit=1000&${query}`);
    expect(answer.status, answer.text).to.equal(200);
    return (answer.json as { items: AuditItem[] }).items;
  };
  const makeGroup = async (name: string, parentId?: string) => {
    const answer = await send(master, 'POST', '/api/v1/groups', { name, parentId });
    expect(answer.status, answer.text).to.equal(201);
    return (answer.json as { id: string }).id;
  };

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin();
    group.a = await addGroup(engine, 'A');
    group.a1 = await addGroup(engine, 'A1', group.a);
    group.b = await addGroup(engine, 'B');
    scoped = await signedInMember(engine, 'scoped@example.test', 'administrator', {
      scopes: [group.a],
    });
    tech = await signedInMember(engine, 'tech@example.test', 'technician', { groupId: group.a });
  });
  after(() => engine?.stop());

  it('answers the defaults for a tenant that set no policy', async () => {
    expect(await policy()).to.deep.equal(DEFAULTS);
  });

  it('refuses a bad address list entry, naming it, and keeps the policy', async () => {
    const answer = await send(master, 'PUT', '/api/v1/policy', {
      ipAllowList: ['127.0.0.1', '::1', 'not-an-address'],
    });
    expectError(answer, 400, 'TETHER_E_VALIDATION');
    expect(messageOf(answer)).to.match(/^body\.ipAllowList\.2:/);
    expect(await policy()).to.deep.equal(DEFAULTS);
  });

  it('refuses a value out of range, naming the field, and keeps the policy', async () => {
    const cases: Array<[object, string]> = [
      [{ session: { idleMinutes: 0 } }, 'body.session.idleMinutes'],
      [{ lockout: { maxAttempts: 101 } }, 'body.lockout.maxAttempts'],
      [{ password: { minLength: 7 } }, 'body.password.minLength'],
      [{ secondFactor: { methods: [] } }, 'body.secondFactor.methods'],
    ];
    for (const [body, field] of cases) {
      const answer = await send(master, 'PUT', '/api/v1/policy', body);
      expectError(answer, 400, 'TETHER_E_VALIDATION');
      expect(messageOf(answer).startsWith(`${field}:`), messageOf(answer)).to.equal(true);
    }
    expect(await policy()).to.deep.equal(DEFAULTS);
    expect(await auditOf(engine, 'policy.changed')).to.have.length(0);
  });

  it('answers administrators and technicians 403 on the policy', async () => {
    for (const caller of [scoped, tech]) {
      expectError(await send(caller.headers, 'GET', '/api/v1/policy'), 403, 'TETHER_E_FORBIDDEN');
      const put = await send(caller.headers, 'PUT', '/api/v1/policy', {
        lockout: { maxAttempts: 100 },
      });
      expectError(put, 403, 'TETHER_E_FORBIDDEN');
    }
    expect(await policy()).to.deep.equal(DEFAULTS);
    expectError(await send(tech.headers, 'GET', '/api/v1/audit'), 403, 'TETHER_E_FORBIDDEN');
  });

  it('audits a policy change with what it was before and after', async () => {
    const before = await policy();
    const answer = await send(master, 'PUT', '/api/v1/policy', {
      password: { minLength: 14 },
      lockout: { maxAttempts: 7 },
      ipAllowList: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
    });
    expect(answer.status, answer.text).to.equal(200);
    const after = await policy();
    expect(after).to.deep.include({
      password: { minLength: 14, minStrength: 3 },
      lockout: { maxAttempts: 7 },
    });
    expect(answer.json).to.deep.equal(after);

    const records = await auditOf(engine, 'policy.changed');
    expect(records).to.have.length(1);
    expect(records[0]?.actor.id).to.equal(engine.firstStart!.memberId);
    expect(records[0]?.before).to.deep.equal(before);
    expect(records[0]?.after).to.deep.equal(after);
    const listed = await audit(master, 'action=policy.changed');
    expect(listed.map((r) => r.seq)).to.deep.equal(records.map((r) => r.seq));
  });

  it('filters the audit report by action and by period', async () => {
    const start = new Date();
    await pause(20);
    const first = await makeGroup('Period one');
    await pause(20);
    const middle = new Date();
    await pause(20);
    const second = await makeGroup('Period two');
    await pause(20);
    const end = new Date();

    const created = await audit(master, 'action=group.created');
    expect(created.length).to.be.at.least(2);
    for (const record of created) expect(record.action).to.equal('group.created');
    const seqs = created.map((r) => r.seq);
    expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y));

    const ids = async (query: string) =>
      (await audit(master, `action=group.created&${query}`)).map((r) => r.nodeId);
    const [from, to] = [start.toISOString(), middle.toISOString()];
    expect(await ids(`from=${from}&to=${to}`)).to.deep.equal([first]);
    expect(await ids(`from=${to}&to=${end.toISOString()}`)).to.deep.equal([second]);
    expect(await ids(`from=${from}`)).to.deep.equal([first, second]);
    expect(await ids(`to=${from}`)).not.to.include.oneOf([first, second]);

    const everything = await audit(master, `from=${from}&to=${end.toISOString()}`);
    expect(everything.map((r) => r.action)).to.include.members(['group.created']);
    const [firstRecord] = everything;
    const later = await audit(master, `afterSeq=${firstRecord!.seq}`);
    expect(later.map((r) => r.seq)).not.to.include(firstRecord!.seq);
    expect(later.every((r) => r.seq > firstRecord!.seq)).to.equal(true);
  });

  it('shows an administrator only records of groups in their reach', async () => {
    const inA1 = await makeGroup('Audit in A1', group.a1);
    const inB = await makeGroup('Audit in B', group.b);
    const memberInA = await send(master, 'POST', '/api/v1/members', {
      email: 'audited-a@example.test',
      displayName: 'Audited',
      role: 'technician',
      groupId: group.a,
    });
    expect(memberInA.status, memberInA.text).to.equal(201);
    const memberId = (memberInA.json as { member: { id: string } }).member.id;
    await send(master, 'PUT', `/api/v1/groups/${group.b}/permissions/reboot`, { allowed: true });

    const everything = await audit(master, '');
    expect(everything.map((r) => r.nodeId)).to.include.members([inA1, inB, group.b]);
    expect(everything.some((r) => r.nodeId === undefined)).to.equal(true);

    const seen = await audit(scoped.headers, '');
    const reach = new Set([group.a, group.a1, inA1]);
    expect(seen.length).to.be.greaterThan(0);
    for (const record of seen) {
      expect(reach.has(record.nodeId ?? ''), JSON.stringify(record)).to.equal(true);
    }
    expect(seen.map((r) => r.nodeId)).to.include(inA1);
    expect(seen.map((r) => r.target?.id)).to.include(memberId);
    // Sign-ins carry the member's group, so those of members in reach are in the report.
    expect(seen.map((r) => r.action)).not.to.include('policy.changed');
    const filtered = await audit(scoped.headers, 'action=group.created');
    expect(filtered.map((r) => r.nodeId)).to.deep.equal([inA1]);
    await expectAuditChainWhole(engine);
  });
});
