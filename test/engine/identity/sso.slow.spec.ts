import { inflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { AuditLog } from '../../../engine/contracts/audit-log-contract.js';
import type { JsonValue } from '../../../engine/contracts/json-value.js';
import { Storage, type Tenant } from '../../../engine/contracts/storage-contract.js';
import type { TestResponse } from '../../../sdk/testing/https-request.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  ADMIN_PASSWORD,
  addMember,
  auditOf,
  expectAuditChainWhole,
  expectError,
  setPolicy,
  tenantScope,
} from '../../support/identity-helpers.js';
import {
  encode,
  signingKey,
  TestIdp,
  type ResponseOptions,
  type SigningKey,
} from '../../support/saml-idp.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const MINUTE = 60_000;

/** The cookies an answer sets, by name, with their attributes. */
function cookiesOf(answer: TestResponse): Record<string, { value: string; attrs: string }> {
  const raw = answer.headers['set-cookie'] ?? [];
  const lines = Array.isArray(raw) ? raw : [raw];
  return Object.fromEntries(
    lines.map((line) => {
      const [pair = '', ...attrs] = line.split(';');
      const at = pair.indexOf('=');
      const attributes = attrs.join(';').toLowerCase();
      return [pair.slice(0, at), { value: pair.slice(at + 1), attrs: attributes }];
    }),
  );
}

describe('SAML single sign-on', () => {
  let engine: TestEngine;
  let idp: TestIdp;
  let foreign: SigningKey;
  let tenantId: string;
  let entityId: string;
  let acsUrl: string;
  let aliceId: string;
  let bobId: string;

  const ssoPolicy = (extra: Record<string, JsonValue> = {}): JsonValue => ({
    sso: {
      enabled: true,
      entryPoint: idp.entryPoint,
      idpIssuer: idp.entityId,
      idpCertificate: idp.cert,
    },
    ...extra,
  });

  async function ssoMember(email: string, ssoId: string, password?: string): Promise<string> {
    const members = tenantScope(engine).members;
    const id = password
      ? await addMember(engine, email, password)
      : (await members.create({ email, displayName: email, role: 'technician' })).id;
    await members.update(id, { ssoId });
    return id;
  }

  before(async () => {
    engine = await startTestEngine();
    idp = await TestIdp.create();
    foreign = await signingKey('Someone else');
    tenantId = engine.firstStart?.tenantId ?? '';
    entityId = `${engine.url}/api/v1/auth/sso/${tenantId}`;
    acsUrl = `${entityId}/acs`;
    await setPolicy(engine, ssoPolicy());
    aliceId = await ssoMember('alice@example.com', 'alice@idp', ADMIN_PASSWORD);
    bobId = await ssoMember('bob@example.com', 'bob@idp', ADMIN_PASSWORD);
  });
  after(() => engine?.stop());

  const options = (extra: Partial<ResponseOptions> = {}): ResponseOptions => ({
    nameId: 'alice@idp',
    audience: entityId,
    recipient: acsUrl,
    ...extra,
  });
  const valid = (extra: Partial<ResponseOptions> = {}) => idp.encoded(options(extra));

  function post(samlResponse: string, relayState?: string, tenant = tenantId) {
    const form = new URLSearchParams({ SAMLResponse: samlResponse });
    if (relayState !== undefined) form.set('RelayState', relayState);
    return engine.request(`/api/v1/auth/sso/${tenant}/acs`, {
      method: 'POST',
      headers: FORM,
      body: form.toString(),
    });
  }

  async function lastFailure() {
    const records = await auditOf(engine, 'auth.sso.failed');
    return records.at(-1);
  }

  /** Posts the response, expects the refusal, and the audit record with this reason. */
  async function expectRefused(saml: string, reason: string, status = 401, code?: string) {
    const before = (await auditOf(engine, 'auth.sso.failed')).length;
    const answer = await post(saml);
    expectError(
      answer,
      status,
      code ?? (status === 403 ? 'TETHER_E_SSO_DISABLED' : 'TETHER_E_SSO_FAILED'),
    );
    expect(cookiesOf(answer), 'no cookie on a refusal').to.deep.equal({});
    const records = await auditOf(engine, 'auth.sso.failed');
    expect(records.length, 'one audit record per refusal').to.equal(before + 1);
    expect(records.at(-1)?.details).to.deep.equal({ reason });
  }

  async function sessionWith(answer: TestResponse) {
    const cookie = cookiesOf(answer).tether_session?.value ?? '';
    const session = await engine.request('/api/v1/auth/session', {
      headers: { cookie: `tether_session=${cookie}` },
    });
    expect(session.status, session.text).to.equal(200);
    return session.json as { state: string; member: { id: string } };
  }

  describe('the assertion consumer', () => {
    it('signs in from a valid response: 303 to /, cookies, a live session', async () => {
      const answer = await post(valid());
      expect(answer.status, answer.text).to.equal(303);
      expect(answer.headers.location).to.equal('/');

      const cookies = cookiesOf(answer);
      expect(cookies.tether_session?.attrs).to.include('httponly').and.include('secure');
      expect(cookies.tether_csrf?.value).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(cookies.tether_csrf?.attrs).not.to.include('httponly');
      const session = await sessionWith(answer);
      expect(session.member.id).to.equal(aliceId);
      expect(session.state).to.equal('active');

      const success = (await auditOf(engine, 'auth.sso.succeeded')).at(-1);
      expect(success?.actor).to.deep.equal({ kind: 'member', id: aliceId });
    });

    it('lands on the relay state only when it is a path of this engine', async () => {
      const cases: Array<[string, string]> = [
        ['/devices?tab=online#top', '/devices?tab=online#top'],
        ['//evil.example/x', '/'],
        ['/\\evil.example/x', '/'],
        ['https://evil.example/', '/'],
        ['/\t/evil.example', '/'],
        ['javascript:alert(1)', '/'],
        ['devices', '/'],
      ];
      for (const [relayState, expected] of cases) {
        const answer = await post(valid(), relayState);
        expect(answer.status, answer.text).to.equal(303);
        expect(answer.headers.location, relayState).to.equal(expected);
      }
    });

    it('refuses a response whose NameID was changed after signing', async () => {
      const signed = idp.response(options());
      const tampered = signed.replace('>alice@idp<', '>bob@idp<');
      expect(tampered).not.to.equal(signed);
      await expectRefused(encode(tampered), 'bad-signature');
      expect((await lastFailure())?.actor, 'refused before any name').to.deep.equal({
        kind: 'anonymous',
      });
    });

    it('wants both signed: unsigned, assertion-only and response-only are refused', async () => {
      for (const sign of ['none', 'assertion', 'response'] as const) {
        await expectRefused(valid({ sign }), 'bad-signature');
      }
    });

    it('refuses a response signed by a key that is not the configured one', async () => {
      await expectRefused(idp.encoded(options(), foreign), 'bad-signature');
    });

    it('refuses an expired response, beyond the clock skew', async () => {
      const past = new Date(Date.now() - 5 * MINUTE);
      await expectRefused(valid({ confirmationEnds: past, conditionsEnd: past }), 'expired');
    });

    it('refuses a bearer confirmation that ran out while the Conditions still hold', async () => {
      const past = new Date(Date.now() - 5 * MINUTE);
      await expectRefused(valid({ confirmationEnds: past }), 'expired');
    });

    it('accepts a response that ended within the clock skew', async () => {
      const justNow = new Date(Date.now() - 20_000);
      const answer = await post(valid({ confirmationEnds: justNow, conditionsEnd: justNow }));
      expect(answer.status, answer.text).to.equal(303);
    });

    it('refuses a response meant for another service provider', async () => {
      await expectRefused(valid({ audience: 'https://other.example/sp' }), 'wrong-audience');
    });

    it('refuses a response addressed to another ACS', async () => {
      const recipient = 'https://other.example/acs';
      await expectRefused(valid({ recipient }), 'wrong-recipient');
    });

    it('refuses an assertion from another issuer, even signed by the right key', async () => {
      await expectRefused(valid({ issuer: 'https://idp.other.example/' }), 'wrong-issuer');
    });

    it('refuses a replay: the same valid response is taken once', async () => {
      const saml = valid();
      expect((await post(saml)).status).to.equal(303);
      await expectRefused(saml, 'replayed');
    });

    it('drops used assertion ids past their keep time at the next sign-in', async () => {
      const assertions = tenantScope(engine).ssoAssertions;
      const past = new Date(Date.now() - MINUTE);
      expect(await assertions.remember('kept-until-a-minute-ago', past)).to.equal(true);
      expect((await post(valid())).status).to.equal(303);
      const later = new Date(Date.now() + MINUTE);
      expect(await assertions.remember('kept-until-a-minute-ago', later), 'swept').to.equal(true);
    });

    it('refuses a NameID that is no member’s SSO id', async () => {
      await expectRefused(valid({ nameId: 'nobody@idp' }), 'unknown-account');
      expect((await lastFailure())?.actor).to.deep.equal({
        kind: 'anonymous',
        label: 'nobody@idp',
      });
    });

    it('refuses a disabled member and a locked one', async () => {
      const members = tenantScope(engine).members;
      await members.updateCredentials(bobId, { disabled: true });
      await expectRefused(valid({ nameId: 'bob@idp' }), 'disabled');
      await members.updateCredentials(bobId, { disabled: false, lockedAt: new Date() });
      await expectRefused(valid({ nameId: 'bob@idp' }), 'locked');
      await members.updateCredentials(bobId, { lockedAt: null });
      expect((await post(valid({ nameId: 'bob@idp' }))).status).to.equal(303);
    });

    it('answers 403 once a member’s SSO is disabled, from the very next sign-in', async () => {
      const members = tenantScope(engine).members;
      expect((await post(valid({ nameId: 'bob@idp' }))).status).to.equal(303);
      await members.update(bobId, { ssoDisabled: true });
      await expectRefused(valid({ nameId: 'bob@idp' }), 'sso-disabled', 403);
      expect((await lastFailure())?.actor).to.deep.equal({ kind: 'member', id: bobId });
      await members.update(bobId, { ssoDisabled: false });
      expect((await post(valid({ nameId: 'bob@idp' }))).status).to.equal(303);
    });

    it('replaces the password step but still asks for a second factor', async () => {
      await ssoMember('carol@example.com', 'carol@idp');
      const carol = await sessionWith(await post(valid({ nameId: 'carol@idp' })));
      expect(carol.state, 'no password-change step').to.equal('active');

      const daveId = await ssoMember('dave@example.com', 'dave@idp', ADMIN_PASSWORD);
      await tenantScope(engine).members.updateCredentials(daveId, { secondFactor: 'totp' });
      const dave = await sessionWith(await post(valid({ nameId: 'dave@idp' })));
      expect(dave.state).to.equal('second-factor-required');

      await setPolicy(engine, ssoPolicy({ secondFactor: { required: 'everyone' } }));
      try {
        const setup = await sessionWith(await post(valid({ nameId: 'carol@idp' })));
        expect(setup.state).to.equal('second-factor-setup-required');
      } finally {
        await setPolicy(engine, ssoPolicy());
      }
    });

    it('refuses sign-in from an address outside the allow list', async () => {
      await setPolicy(engine, ssoPolicy({ ipAllowList: ['10.0.0.0/8'] }));
      try {
        await expectRefused(valid(), 'address-not-allowed', 403, 'TETHER_E_IP_NOT_ALLOWED');
      } finally {
        await setPolicy(engine, ssoPolicy());
      }
    });

    it('never writes the SAML response to the audit log, and the chain stays whole', async () => {
      const records = await auditOf(engine, 'auth.sso.failed', 'auth.sso.succeeded');
      expect(records.length).to.be.greaterThan(10);
      const text = JSON.stringify(records);
      expect(text).not.to.include('Assertion').and.not.include('PHNhbWxwOl'); // <samlp: in base64
      await expectAuditChainWhole(engine);
    });
  });

  describe('the login redirect', () => {
    function requestOf(location: string) {
      const url = new URL(location);
      const saml = url.searchParams.get('SAMLRequest') ?? '';
      const xml = inflateRawSync(Buffer.from(saml, 'base64')).toString('utf8');
      return { url, xml };
    }

    it('sends the browser to the entry point with an AuthnRequest for this SP', async () => {
      const answer = await engine.request(`/api/v1/auth/sso/${tenantId}/login?next=/devices`);
      expect(answer.status, answer.text).to.equal(302);
      const { url, xml } = requestOf(String(answer.headers.location));
      expect(`${url.origin}${url.pathname}`).to.equal(idp.entryPoint);
      expect(xml).to.include('<samlp:AuthnRequest');
      expect(xml).to.include(`AssertionConsumerServiceURL="${acsUrl}"`);
      expect(xml).to.include(`>${entityId}</saml:Issuer>`);
      expect(url.searchParams.get('RelayState')).to.equal('/devices');
    });

    it('takes the tenant by name too, and drops a relay state that leaves the engine', async () => {
      const name = engine.firstStart?.tenant ?? '';
      const next = encodeURIComponent('//evil.example/');
      const answer = await engine.request(`/api/v1/auth/sso/${name}/login?next=${next}`);
      expect(answer.status, answer.text).to.equal(302);
      const { url, xml } = requestOf(String(answer.headers.location));
      expect(xml, 'the SP URLs use the id').to.include(`AssertionConsumerServiceURL="${acsUrl}"`);
      expect(url.searchParams.has('RelayState')).to.equal(false);
    });

    describe('behind a proxy, with the publicUrl setting', () => {
      const publicUrl = 'https://support.example.com/tether';
      let proxied: TestEngine;
      before(async () => {
        proxied = await startTestEngine({ settings: { publicUrl } });
        await setPolicy(proxied, ssoPolicy());
      });
      after(() => proxied?.stop());

      it('makes the SP URLs from the setting, not from the Host header', async () => {
        const id = proxied.firstStart?.tenantId ?? '';
        const answer = await proxied.request(`/api/v1/auth/sso/${id}/login`);
        expect(answer.status, answer.text).to.equal(302);
        const { xml } = requestOf(String(answer.headers.location));
        const acs = `${publicUrl}/api/v1/auth/sso/${id}/acs`;
        expect(xml).to.include(`AssertionConsumerServiceURL="${acs}"`);
        expect(xml).not.to.include(new URL(proxied.url).host);
      });
    });
  });

  describe('a tenant without single sign-on', () => {
    let other: Tenant;

    before(async () => {
      const storage = engine.engine.root.get<Storage>(Storage);
      other = await storage.tenants.create('no-sso-tenant');
      // Enabled but incomplete counts as not set up.
      const incomplete = { sso: { enabled: true, entryPoint: idp.entryPoint } };
      await storage.forTenant(other.id).policy.put(incomplete, new Date());
    });

    it('answers 404 on login, the same as for an unknown tenant', async () => {
      const none = await engine.request(`/api/v1/auth/sso/${other.id}/login`);
      expectError(none, 404, 'TETHER_E_NOT_FOUND');
      const unknown = await engine.request('/api/v1/auth/sso/no-such-tenant/login');
      expectError(unknown, 404, 'TETHER_E_NOT_FOUND');
      expect(unknown.json).to.deep.equal(none.json);
    });

    it('refuses a response posted to its ACS and audits it there', async () => {
      const answer = await post(valid(), undefined, other.id);
      expectError(answer, 401, 'TETHER_E_SSO_FAILED');
      const log = engine.engine.root.get<AuditLog>(AuditLog);
      const records = await log.list(other.id, { actions: ['auth.sso.failed'] });
      expect(records.map((record) => record.details)).to.deep.equal([
        { reason: 'sso-not-enabled' },
      ]);
    });

    it('turns SSO off at once when the policy says so', async () => {
      await setPolicy(engine, { sso: { ...(ssoPolicy() as { sso: object }).sso, enabled: false } });
      try {
        await expectRefused(valid(), 'sso-not-enabled');
        const login = await engine.request(`/api/v1/auth/sso/${tenantId}/login`);
        expectError(login, 404, 'TETHER_E_NOT_FOUND');
      } finally {
        await setPolicy(engine, ssoPolicy());
      }
    });
  });
});
