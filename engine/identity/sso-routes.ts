import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/request-authenticator.js';
import type { IdentityDeps } from './identity-deps.js';
import { SsoService } from './sso-service.js';

/** What the single sign-on routes need. */
export interface SsoRoutesDeps {
  readonly api: ApiRegistry;
  readonly identity: IdentityDeps;
  /** The `publicUrl` setting, which the SP URLs start with when it is set. */
  readonly publicUrl?: string;
}

const TAGS = ['auth'];
const TenantParams = z.object({
  tenant: z.string().min(1).max(200).describe("The tenant's id (or, to sign in, its name)"),
});
const LoginQuery = z.object({
  next: z.string().max(2000).optional().describe('A path of this engine to land on afterwards'),
});
// A signed response with its certificates is a few kilobytes; this leaves room for many more.
const AcsBody = z.object({
  SAMLResponse: z
    .string()
    .min(1)
    .max(512 * 1024),
  RelayState: z.string().max(2000).optional(),
});
const NO_STORE = { 'Cache-Control': 'no-store' };

function hostOf(headers: Readonly<Record<string, string | string[] | undefined>>) {
  const host = headers.host;
  return typeof host === 'string' ? host : undefined;
}

/**
 * Registers SAML single sign-on: the redirect to the tenant's identity provider and the
 * assertion consumer service that the provider posts back to, through the browser.
 */
export function registerSsoRoutes(deps: SsoRoutesDeps): Disposable[] {
  const { api } = deps;
  const sso = new SsoService(deps.identity, deps.publicUrl);
  return [
    api.register(
      {
        method: 'GET',
        path: '/api/v1/auth/sso/:tenant/login',
        operationId: 'beginSso',
        summary: "Sends the browser to the tenant's identity provider to sign in",
        tags: TAGS,
        access: 'public',
        params: TenantParams,
        query: LoginQuery,
        responses: { 302: { description: 'To the identity provider, with a SAML request' } },
        handler: async ({ params, query, headers }) => {
          const location = await sso.loginUrl({
            tenant: params.tenant,
            host: hostOf(headers),
            ...(query.next !== undefined ? { next: query.next } : {}),
          });
          return { status: 302, headers: { ...NO_STORE, Location: location } };
        },
      },
      'engine',
    ),
    api.register(
      {
        method: 'POST',
        path: '/api/v1/auth/sso/:tenant/acs',
        operationId: 'consumeSsoResponse',
        summary: "Takes the identity provider's SAML response and signs the browser in",
        tags: TAGS,
        access: 'public',
        params: TenantParams,
        body: AcsBody,
        bodyType: 'form',
        responses: { 303: { description: 'Signed in (or at the next step); to the app' } },
        handler: async ({ params, body, headers, ip }) => {
          const made = await sso.consume({
            tenant: params.tenant,
            host: hostOf(headers),
            samlResponse: body.SAMLResponse,
            ...(body.RelayState !== undefined ? { relayState: body.RelayState } : {}),
            ip,
          });
          return {
            status: 303,
            headers: { ...NO_STORE, Location: made.redirectTo },
            cookies: [
              { name: SESSION_COOKIE, value: made.token },
              { name: CSRF_COOKIE, value: made.csrfToken, script: true },
            ],
          };
        },
      },
      'engine',
    ),
  ];
}
