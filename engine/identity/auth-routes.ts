import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/request-authenticator.js';
import type { PasswordChangeService } from './password-change-service.js';
import { E164, type SecondFactorService } from './second-factor-service.js';
import type { SignInService } from './sign-in-service.js';
import { loadSignedIn } from './signed-in-member.js';
import type { IdentityDeps } from './identity-deps.js';

/** The services behind the sign-in routes. */
export interface AuthRoutesDeps {
  readonly api: ApiRegistry;
  readonly identity: IdentityDeps;
  readonly signIn: SignInService;
  readonly passwords: PasswordChangeService;
  readonly secondFactor: SecondFactorService;
}

const State = z.enum([
  'password-change-required',
  'second-factor-setup-required',
  'second-factor-required',
  'active',
]);
const StateBody = z.object({ state: State });
const MemberBody = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.string(),
});
const SignInBody = z.object({
  state: State,
  member: MemberBody,
  expiresAt: z.iso.datetime(),
  methods: z.array(z.string()).describe('Second factors on offer, when the state asks for one'),
  token: z.string().optional().describe('For API clients: send as Authorization: Bearer'),
  csrfToken: z.string().optional().describe('For browsers: send as X-CSRF-Token'),
});
const LoginBody = z.object({
  tenant: z.string().min(1).max(200),
  email: z.string().min(3).max(320),
  password: z.string().min(1).max(1024),
  client: z.enum(['browser', 'api']).default('api'),
});
const Code = z.string().regex(/^\d{6}$/, { error: 'expected six digits' });
const Phone = z
  .string()
  .regex(E164, { error: 'expected an E.164 number such as +4915112345678' })
  .describe('Only at setup: the number to prove; later the number on record is used');
const SentTo = z.object({ sentTo: z.string().describe('Where the code went, masked') });

const TAGS = ['auth'];

function signedIn(principal: Principal | undefined): Principal {
  return principal as Principal;
}

/** Registers sign-in, sign-out, the current sign-in, password change and the second factor. */
export function registerAuthRoutes(deps: AuthRoutesDeps): Disposable[] {
  const { api } = deps;
  const routes = [
    api.register(
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        operationId: 'signIn',
        summary: 'Signs in with e-mail and password',
        tags: TAGS,
        access: 'public',
        body: LoginBody,
        responses: { 200: { description: 'Signed in, or the next step', schema: SignInBody } },
        handler: async ({ body, ip }) => {
          const made = await deps.signIn.signIn({ ...body, ip });
          const { member, session } = made;
          const cookies = made.csrfToken
            ? [
                { name: SESSION_COOKIE, value: made.token },
                { name: CSRF_COOKIE, value: made.csrfToken, script: true },
              ]
            : [];
          return {
            body: {
              state: session.state,
              member: pick(member),
              expiresAt: session.expiresAt.toISOString(),
              methods: made.methods,
              ...(made.csrfToken ? { csrfToken: made.csrfToken } : { token: made.token }),
            },
            cookies,
          };
        },
      },
      'engine',
    ),
    api.register(
      {
        method: 'GET',
        path: '/api/v1/auth/session',
        operationId: 'getSignIn',
        summary: 'The current sign-in and its step',
        tags: TAGS,
        access: 'sign-in-step',
        responses: {
          200: {
            description: 'The sign-in',
            schema: z.object({ state: State, member: MemberBody, expiresAt: z.iso.datetime() }),
          },
        },
        handler: async ({ principal }) => {
          const caller = await loadSignedIn(deps.identity, signedIn(principal));
          return {
            body: {
              state: caller.session.state,
              member: pick(caller.member),
              expiresAt: caller.session.expiresAt.toISOString(),
            },
          };
        },
      },
      'engine',
    ),
    api.register(
      {
        method: 'POST',
        path: '/api/v1/auth/logout',
        operationId: 'signOut',
        summary: 'Ends the current sign-in',
        tags: TAGS,
        access: 'sign-in-step',
        responses: { 204: { description: 'Signed out' } },
        handler: async ({ principal, ip }) => {
          const caller = await loadSignedIn(deps.identity, signedIn(principal));
          await deps.signIn.signOut(caller.session, caller.tenant, ip);
          const gone = { value: '', maxAgeMs: 0 };
          return {
            status: 204,
            cookies: [
              { name: SESSION_COOKIE, ...gone },
              { name: CSRF_COOKIE, ...gone, script: true },
            ],
          };
        },
      },
      'engine',
    ),
    ...secondFactorRoutes(deps),
    api.register(
      {
        method: 'POST',
        path: '/api/v1/auth/password',
        operationId: 'changePassword',
        summary: "Changes the signed-in member's password; other sign-ins end",
        tags: TAGS,
        access: 'sign-in-step',
        body: z.object({
          currentPassword: z.string().max(1024).optional(),
          newPassword: z.string().min(1).max(1024),
        }),
        responses: { 200: { description: 'Changed; the next step', schema: StateBody } },
        handler: async ({ principal, body, ip }) => ({
          body: { state: await deps.passwords.change(signedIn(principal), { ...body, ip }) },
        }),
      },
      'engine',
    ),
  ];
  return routes;
}

function secondFactorRoutes(deps: AuthRoutesDeps): Disposable[] {
  const { api, secondFactor } = deps;
  const base = { tags: TAGS, access: 'sign-in-step' as const };
  return [
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/auth/second-factor/totp/setup',
        operationId: 'beginTotpSetup',
        summary: 'Starts setting up an authenticator app',
        responses: {
          200: {
            description: 'The secret, as text, otpauth URL and QR code',
            schema: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }),
          },
        },
        handler: async ({ principal }) => {
          const setup = await secondFactor.beginTotp(signedIn(principal));
          return {
            body: {
              secret: setup.secret,
              otpauthUrl: setup.otpauthUrl,
              qrDataUrl: setup.qrDataUrl,
            },
          };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/auth/second-factor/totp/confirm',
        operationId: 'confirmTotpSetup',
        summary: 'Confirms the authenticator app with its first code',
        body: z.object({ code: Code }),
        responses: { 200: { description: 'Set up; signed in', schema: StateBody } },
        handler: async ({ principal, body, ip }) => ({
          body: { state: await secondFactor.confirmTotp(signedIn(principal), body.code, ip) },
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/auth/second-factor/email/send',
        operationId: 'sendEmailCode',
        summary: "Sends a sign-in code to the member's e-mail",
        responses: {
          202: { description: 'Sent', schema: z.object({ sentTo: z.string() }) },
        },
        handler: async ({ principal }) => ({
          status: 202,
          body: await secondFactor.sendEmailCode(signedIn(principal)),
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/auth/second-factor/sms/send',
        operationId: 'sendSmsCode',
        summary: 'Sends a sign-in code by text message',
        body: z.object({ phone: Phone.optional() }).optional(),
        responses: { 202: { description: 'Sent', schema: SentTo } },
        handler: async ({ principal, body }) => ({
          status: 202,
          body: await secondFactor.sendSmsCode(signedIn(principal), body?.phone),
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/auth/second-factor/verify',
        operationId: 'verifySecondFactor',
        summary: 'Proves the second factor; the sign-in completes',
        body: z.object({ method: z.enum(['totp', 'email', 'sms']), code: Code }),
        responses: { 200: { description: 'Signed in', schema: StateBody } },
        handler: async ({ principal, body, ip }) => ({
          body: { state: await secondFactor.verify(signedIn(principal), { ...body, ip }) },
        }),
      },
      'engine',
    ),
  ];
}

function pick(member: { id: string; email: string; displayName: string; role: string }) {
  return { id: member.id, email: member.email, displayName: member.displayName, role: member.role };
}
