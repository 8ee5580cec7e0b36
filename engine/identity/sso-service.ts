import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import type { AuditActor } from '../contracts/audit-log-contract.js';
import type { Member, SignInSession, SignInState, Tenant } from '../contracts/storage-contract.js';
import { TetherError, type ErrorCode } from '../errors.js';
import { audit, policyOf, type IdentityDeps } from './identity-deps.js';
import { addressAllowed } from './address-rules.js';
import { IpAllowList } from './ip-allow-list.js';
import { openSignIn, secondFactorState } from './open-sign-in.js';
import type { TenantPolicy } from './tenant-policy.js';

/** How far the identity provider's clock may be from ours. */
const CLOCK_SKEW_MS = 60_000;
/** Kept past an assertion's end, so that nodes whose clocks differ still refuse a replay. */
const REPLAY_MARGIN_MS = 5 * 60_000;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The SSO settings of a tenant that has everything single sign-on needs. */
interface SsoSettings {
  readonly entryPoint: string;
  readonly idpIssuer: string;
  readonly idpCertificate: string;
}

/** Where a tenant's service provider lives on this engine. */
export interface SsoEndpoints {
  readonly entityId: string;
  readonly acsUrl: string;
}

/** A browser asking to sign in through its tenant's identity provider. */
export interface SsoLoginRequest {
  /** The tenant's id or name, as the path gives it. */
  readonly tenant: string;
  /** The request's `Host` header. */
  readonly host: string | undefined;
  /** A path of this engine to land on afterwards; anything else lands on `/`. */
  readonly next?: string;
}

/** What the identity provider posted back, through the browser. */
export interface SsoResponseRequest {
  readonly tenant: string;
  readonly host: string | undefined;
  readonly samlResponse: string;
  readonly relayState?: string;
  readonly ip: string;
}

/** A single sign-on made: a browser sign-in and where to send the browser. */
export interface SsoSignIn {
  readonly token: string;
  readonly csrfToken: string;
  readonly session: SignInSession;
  readonly member: Member;
  /** A same-origin path: the relay state when it is one, else `/`. */
  readonly redirectTo: string;
}

/** One ACS attempt, as the audit log records its outcome. */
interface Attempt {
  readonly tenant: Tenant;
  readonly request: SsoResponseRequest;
  member?: Member;
  nameId?: string;
}

/** What the service reads from the signed assertion that node-saml does not check. */
interface SignedFacts {
  readonly id?: string;
  readonly issuer?: string;
  readonly confirmations: readonly Confirmation[];
}

interface Confirmation {
  readonly method?: string;
  readonly recipient?: string;
  readonly notBefore?: string;
  readonly notOnOrAfter?: string;
}

type XmlNode = { readonly $?: Record<string, string>; readonly _?: string } & {
  readonly [child: string]: unknown;
};

/** Thrown inside an attempt; the attempt audits it once and answers with `code`. */
class SsoRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly code: ErrorCode = 'TETHER_E_SSO_FAILED',
  ) {
    super(reason);
    this.name = 'SsoRefusal';
  }
}

/**
 * SAML 2.0 single sign-on (SP side): the AuthnRequest redirect and the assertion consumer.
 * node-saml checks the signatures (Response and Assertion both), the Conditions' times and
 * the audience; this service adds what node-saml 5 leaves to the caller: the assertion's
 * issuer, a bearer confirmation addressed to our ACS and still live, one use per assertion id,
 * and the member's state, read fresh on every attempt. Every outcome is audited.
 */
export class SsoService {
  /** `publicUrl`: the setting; without it the URLs are made from the request's Host header. */
  constructor(
    private readonly deps: IdentityDeps,
    private readonly publicUrl?: string,
  ) {}

  /** The identity provider's URL carrying an AuthnRequest; 404 unless SSO is set up. */
  async loginUrl(request: SsoLoginRequest): Promise<string> {
    const tenant = await this.tenantOf(request.tenant);
    const settings = tenant ? settingsOf(await policyOf(this.deps.storage, tenant.id)) : undefined;
    if (!tenant || !settings) {
      throw new TetherError('TETHER_E_NOT_FOUND', 'No single sign-on for this tenant');
    }
    const saml = samlFor(settings, endpointsOf(tenant, request.host, this.publicUrl));
    const relayState = request.next !== undefined ? safePath(request.next) : undefined;
    return saml.getAuthorizeUrlAsync(relayState ?? '', undefined, {});
  }

  /** Checks a posted SAML response and opens a browser sign-in for the member it names. */
  async consume(request: SsoResponseRequest): Promise<SsoSignIn> {
    const tenant = await this.tenantOf(request.tenant);
    if (!tenant) {
      this.deps.logger.info({ reason: 'unknown-tenant' }, 'single sign-on refused');
      throw new TetherError('TETHER_E_SSO_FAILED');
    }
    const attempt: Attempt = { tenant, request };
    try {
      return await this.attempt(attempt);
    } catch (error) {
      if (!(error instanceof SsoRefusal)) throw error;
      await this.failed(attempt, error.reason);
      throw new TetherError(error.code);
    }
  }

  private async attempt(attempt: Attempt): Promise<SsoSignIn> {
    const { tenant, request } = attempt;
    const policy = await policyOf(this.deps.storage, tenant.id);
    const settings = settingsOf(policy);
    if (!settings) throw new SsoRefusal('sso-not-enabled');
    if (!IpAllowList.parse(policy.ipAllowList, 'ipAllowList').allows(request.ip)) {
      throw new SsoRefusal('address-not-allowed', 'TETHER_E_IP_NOT_ALLOWED');
    }

    const endpoints = endpointsOf(tenant, request.host, this.publicUrl);
    const profile = await this.validated(samlFor(settings, endpoints), request.samlResponse);
    attempt.nameId = profile.nameID;
    const used = this.checkFacts(factsOf(profile), settings, endpoints);
    await this.useOnce(tenant, used.assertionId, used.keepUntil);

    const member = await this.memberFor(attempt, policy, profile.nameID);
    if (!(await addressAllowed(this.deps.storage, tenant.id, policy, member, request.ip))) {
      throw new SsoRefusal('address-not-allowed', 'TETHER_E_IP_NOT_ALLOWED');
    }
    return this.open(tenant, member, policy, request);
  }

  /** node-saml's verdict; any error it raises is a refusal with a reason drawn from it. */
  private async validated(saml: SAML, samlResponse: string): Promise<Profile> {
    let profile: Profile | null;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.info({ detail: message.slice(0, 300) }, 'SAML response rejected');
      throw new SsoRefusal(reasonOf(message));
    }
    if (!profile?.nameID) throw new SsoRefusal('no-assertion');
    return profile;
  }

  /** The checks node-saml 5 skips; answers the assertion id and how long to keep it. */
  private checkFacts(facts: SignedFacts, settings: SsoSettings, endpoints: SsoEndpoints) {
    if (facts.issuer !== settings.idpIssuer) throw new SsoRefusal('wrong-issuer');
    const assertionId = facts.id;
    if (!assertionId || assertionId.length > 200) throw new SsoRefusal('invalid-response');

    const toUs = facts.confirmations.filter(
      (c) => c.method === BEARER && c.recipient === endpoints.acsUrl,
    );
    if (toUs.length === 0) throw new SsoRefusal('wrong-recipient');
    const now = this.deps.clock.nowMs();
    const live = toUs.map((c) => liveUntil(c, now)).find((end) => end !== undefined);
    if (live === undefined) throw new SsoRefusal('expired');
    return { assertionId, keepUntil: new Date(live + CLOCK_SKEW_MS + REPLAY_MARGIN_MS) };
  }

  private async useOnce(tenant: Tenant, assertionId: string, expiresAt: Date): Promise<void> {
    const assertions = this.deps.storage.forTenant(tenant.id).ssoAssertions;
    // The tenant's ids past their keep time go first, so the table holds only those that count.
    await assertions.sweep(this.deps.clock.now());
    if (!(await assertions.remember(assertionId, expiresAt))) throw new SsoRefusal('replayed');
  }

  /** The member whose SSO id the assertion names, read now: a change made a moment ago counts. */
  private async memberFor(attempt: Attempt, policy: TenantPolicy, nameId: string) {
    const members = this.deps.storage.forTenant(attempt.tenant.id).members;
    const member = await members.findBySsoId(nameId);
    if (!member) throw new SsoRefusal('unknown-account');
    attempt.member = member;

    if (member.disabled) throw new SsoRefusal('disabled');
    if (this.stillLocked(member, policy)) throw new SsoRefusal('locked');
    if (member.ssoDisabled) throw new SsoRefusal('sso-disabled', 'TETHER_E_SSO_DISABLED');
    return member;
  }

  /** A lock holds until an administrator clears it or, when the policy says so, it runs out. */
  private stillLocked(member: Member, policy: TenantPolicy): boolean {
    const minutes = policy.lockout.unlockAfterMinutes;
    if (!member.lockedAt) return false;
    return !minutes || this.deps.clock.nowMs() < member.lockedAt.getTime() + minutes * 60_000;
  }

  /** Opens a browser sign-in; SSO stands in for the password, so no password step follows. */
  private async open(
    tenant: Tenant,
    member: Member,
    policy: TenantPolicy,
    request: SsoResponseRequest,
  ): Promise<SsoSignIn> {
    const now = this.deps.clock.now();
    const state = secondFactorState(member, policy);
    const client = { kind: 'browser' as const, ip: request.ip };
    const opened = await openSignIn(this.deps, tenant.id, member, state, policy, client);
    const { token, session } = opened;
    const csrfToken = opened.csrfToken as string;
    const scope = this.deps.storage.forTenant(tenant.id);
    if (state === 'active') await scope.members.updateCredentials(member.id, { lastSignInAt: now });

    await this.succeeded(tenant, member, state, request.ip);
    const redirectTo = request.relayState !== undefined ? safePath(request.relayState) : undefined;
    return { token, csrfToken, session, member, redirectTo: redirectTo ?? '/' };
  }

  private async succeeded(tenant: Tenant, member: Member, state: SignInState, ip: string) {
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.sso.succeeded',
      actor: { kind: 'member', id: member.id },
      ip,
      details: { state, client: 'browser', with: 'sso' },
    });
    this.deps.logger.info({ tenant: tenant.id, member: member.id, state }, 'signed in by SSO');
  }

  private async failed(attempt: Attempt, reason: string): Promise<void> {
    const actor: AuditActor = attempt.member
      ? { kind: 'member', id: attempt.member.id }
      : { kind: 'anonymous', ...(attempt.nameId ? { label: attempt.nameId.slice(0, 320) } : {}) };
    await audit(this.deps, {
      tenantId: attempt.tenant.id,
      action: 'auth.sso.failed',
      actor,
      ip: attempt.request.ip,
      details: { reason },
    });
    this.deps.logger.info({ tenant: attempt.tenant.id, reason }, 'single sign-on refused');
  }

  /** A tenant by id (what the SP URLs use) or, failing that, by name (what a person types). */
  private async tenantOf(idOrName: string): Promise<Tenant | undefined> {
    const { tenants } = this.deps.storage;
    const byId = UUID.test(idOrName) ? await tenants.findById(idOrName) : undefined;
    return byId ?? tenants.findByName(idOrName);
  }
}

/** The tenant's SSO settings when single sign-on is enabled and complete, else undefined. */
function settingsOf(policy: TenantPolicy): SsoSettings | undefined {
  const { enabled, entryPoint, idpIssuer, idpCertificate } = policy.sso;
  if (!enabled || !entryPoint || !idpIssuer || !idpCertificate) return undefined;
  return { entryPoint, idpIssuer, idpCertificate };
}

/**
 * The SP entity id and ACS URL of `tenant`, always by its id, which a rename cannot change.
 * They start with the `publicUrl` setting when there is one; only without it do they come
 * from the Host header, which is the caller's word (and wrong behind a proxy that rewrites it).
 */
function endpointsOf(tenant: Tenant, host: string | undefined, publicUrl?: string): SsoEndpoints {
  const entityId = `${baseUrlOf(host, publicUrl)}/api/v1/auth/sso/${tenant.id}`;
  return { entityId, acsUrl: `${entityId}/acs` };
}

function baseUrlOf(host: string | undefined, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl.replace(/\/+$/, '');
  if (!host || !HOST.test(host)) {
    throw new TetherError('TETHER_E_VALIDATION', 'The request has no usable Host header');
  }
  return `https://${host.toLowerCase()}`;
}

/**
 * A SAML client for one tenant. InResponseTo is not checked: node-saml keeps request ids in
 * one node's memory, which fails when the response reaches another node; replay is stopped by
 * the shared assertion store instead. TODO(#sso): a storage-backed request-id cache, so that
 * only responses to our own requests (not IdP-initiated ones) are taken.
 */
function samlFor(settings: SsoSettings, endpoints: SsoEndpoints): SAML {
  return new SAML({
    entryPoint: settings.entryPoint,
    idpIssuer: settings.idpIssuer,
    idpCert: settings.idpCertificate,
    issuer: endpoints.entityId,
    audience: endpoints.entityId,
    callbackUrl: endpoints.acsUrl,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.never,
    // The NameID is matched as it comes; which format is the identity provider's choice.
    identifierFormat: null,
    // Asking for a password context makes providers that use other methods refuse.
    disableRequestedAuthnContext: true,
  });
}

/** SSO replaces the password: only the second-factor steps of `nextState` apply. */

/** When a bearer confirmation stops being live, or undefined when it is not live now. */
function liveUntil(confirmation: Confirmation, nowMs: number): number | undefined {
  const end = Date.parse(confirmation.notOnOrAfter ?? '');
  if (Number.isNaN(end) || nowMs - CLOCK_SKEW_MS >= end) return undefined;
  if (confirmation.notBefore === undefined) return end;
  const start = Date.parse(confirmation.notBefore);
  return Number.isNaN(start) || nowMs + CLOCK_SKEW_MS < start ? undefined : end;
}

/** The facts of the assertion node-saml verified (never the unsigned envelope around it). */
function factsOf(profile: Profile): SignedFacts {
  const assertion = children(profile.getAssertion?.() as XmlNode | undefined, 'Assertion')[0];
  const subject = children(assertion, 'Subject')[0];
  const confirmations = children(subject, 'SubjectConfirmation').map((confirmation) => {
    const data = children(confirmation, 'SubjectConfirmationData')[0]?.$ ?? {};
    return {
      method: confirmation.$?.Method,
      recipient: data.Recipient,
      notBefore: data.NotBefore,
      notOnOrAfter: data.NotOnOrAfter,
    };
  });
  const issuer = children(assertion, 'Issuer')[0]?._;
  return { id: assertion?.$?.ID, issuer, confirmations };
}

/** The child elements called `name`, as xml2js (node-saml's parser) gives them. */
function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined) return [];
  const value = node[name];
  if (Array.isArray(value)) return value as XmlNode[];
  return value !== null && typeof value === 'object' ? [value as XmlNode] : [];
}

/** An audit reason from node-saml's message (its wording, so unmatched ones fall through). */
function reasonOf(message: string): string {
  if (/signature/i.test(message)) return 'bad-signature';
  if (/expired/i.test(message)) return 'expired';
  if (/not yet valid/i.test(message)) return 'not-yet-valid';
  if (/audience/i.test(message)) return 'wrong-audience';
  if (/provider returned/i.test(message)) return 'idp-error';
  return 'invalid-response';
}

/**
 * `value` as a path of this engine (`/devices?x=1`), or undefined when it is not one. The URL
 * parser decides, as browsers would: it reads `//host`, `/\host` and `/<tab>/host` as another
 * origin.
 */
function safePath(value: string): string | undefined {
  if (!value.startsWith('/')) return undefined;
  const base = 'https://tether.invalid';
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : undefined;
}
