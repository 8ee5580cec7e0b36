import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../contracts/audit-log-contract.js';
import type { Clock } from '../contracts/clock-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { Member, MemberRole, Storage } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { ApiRegistry } from '../http/api-registry.js';
import {
  ADMIN_ROLES,
  mayGrantRole,
  mayManage,
  reachOf,
  requireGroup,
  type Reach,
} from './admin-reach.js';
import { digest } from './sign-in-token.js';

/** What the member administration routes use. */
export interface AdminDeps {
  readonly api: ApiRegistry;
  readonly storage: Storage;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

const SECRET_LIFETIME_MS = 72 * 3600_000;
const Role = z.enum(['master-administrator', 'administrator', 'technician']);
const MemberId = z.object({ memberId: z.uuid() });
const MemberBody = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.string(),
  groupId: z.uuid().optional(),
  disabled: z.boolean(),
  locked: z.boolean(),
  ssoId: z.string().optional(),
  ssoDisabled: z.boolean(),
});
const WithSecret = z.object({
  member: MemberBody,
  oneTimeSecret: z.string().describe('Shown once: the member signs in with it and sets a password'),
  expiresAt: z.iso.datetime(),
});
const base = { tags: ['members'], roles: ADMIN_ROLES } as const;

function view(member: Member) {
  return {
    id: member.id,
    email: member.email,
    displayName: member.displayName,
    role: member.role,
    ...(member.groupId ? { groupId: member.groupId } : {}),
    disabled: member.disabled,
    locked: member.lockedAt !== undefined,
    ...(member.ssoId ? { ssoId: member.ssoId } : {}),
    ssoDisabled: member.ssoDisabled,
  };
}

/** The member the caller may manage, or 404 (another tenant's or out of reach alike). */
async function managed(deps: AdminDeps, reach: Reach, memberId: string): Promise<Member> {
  const member = await deps.storage.forTenant(reach.caller.tenantId).members.findById(memberId);
  if (!member || !mayManage(reach, member)) {
    throw new TetherError('TETHER_E_NOT_FOUND', 'No such member');
  }
  return member;
}

function newSecret(clock: Clock) {
  const secret = randomBytes(24).toString('base64url');
  return { secret, hash: digest(secret), expiresAt: new Date(clock.nowMs() + SECRET_LIFETIME_MS) };
}

/** Registers listing, creating and managing members, each confined to the caller's reach. */
export function registerMemberAdminRoutes(deps: AdminDeps): Disposable[] {
  const { api } = deps;
  const caller = (principal: Principal | undefined) =>
    reachOf(deps.storage, principal as Principal);
  return [
    api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/members',
        operationId: 'listMembers',
        summary: 'Members the caller manages',
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).optional(),
          after: z.string().max(400).optional(),
        }),
        responses: {
          200: {
            description: 'A page',
            schema: z.object({ items: z.array(MemberBody), next: z.string().optional() }),
          },
        },
        handler: async ({ principal, query }) => {
          const reach = await caller(principal);
          const members = deps.storage.forTenant(reach.caller.tenantId).members;
          const page = reach.whole
            ? await members.list(query)
            : await members.listInGroups([...reach.groups], query);
          const items = page.items.filter((m) => reach.whole || mayManage(reach, m)).map(view);
          return { body: page.next ? { items, next: page.next } : { items } };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/members',
        operationId: 'createMember',
        summary: 'Makes a member, who signs in first with a one-time secret',
        body: z.object({
          email: z
            .string()
            .trim()
            .regex(/^[^\s@]+@[^\s@]+$/, { error: 'expected an e-mail address' })
            .max(320),
          displayName: z.string().trim().min(1).max(200),
          role: Role,
          groupId: z.uuid().optional(),
        }),
        responses: { 201: { description: 'Made', schema: WithSecret } },
        handler: async ({ principal, body, ip }) => {
          const reach = await caller(principal);
          if (!mayGrantRole(reach, body.role as MemberRole)) {
            throw new TetherError('TETHER_E_FORBIDDEN', `You may not make a ${body.role}`);
          }
          if (body.groupId) requireGroup(reach, body.groupId);
          if (!reach.whole && !body.groupId) {
            throw new TetherError('TETHER_E_VALIDATION', 'body.groupId: required for your role');
          }
          const secret = newSecret(deps.clock);
          const member = await deps.storage.forTenant(reach.caller.tenantId).members.create({
            ...body,
            role: body.role as MemberRole,
            oneTimeSecretHash: secret.hash,
            oneTimeSecretExpiresAt: secret.expiresAt,
          });
          await deps.audit.append({
            tenantId: reach.caller.tenantId,
            action: 'member.created',
            actor: { kind: 'member', id: reach.caller.memberId },
            target: { kind: 'member', id: member.id },
            ...(member.groupId ? { nodeId: member.groupId } : {}),
            ip,
            after: view(member),
          });
          const expiresAt = secret.expiresAt.toISOString();
          return {
            status: 201,
            body: { member: view(member), oneTimeSecret: secret.secret, expiresAt },
          };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'PATCH',
        path: '/api/v1/members/:memberId',
        operationId: 'updateMember',
        summary: 'Renames a member, changes their role or moves them to another group',
        params: MemberId,
        body: z.object({
          displayName: z.string().trim().min(1).max(200).optional(),
          role: Role.optional(),
          groupId: z.uuid().nullable().optional(),
          ssoId: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .nullable()
            .optional()
            .describe("The member's NameID at the tenant's identity provider"),
          ssoDisabled: z.boolean().optional().describe('Refuse single sign-on for this member'),
        }),
        responses: { 200: { description: 'Changed', schema: MemberBody } },
        handler: async ({ principal, params, body, ip }) => {
          const reach = await caller(principal);
          const member = await managed(deps, reach, params.memberId);
          if (body.role && !mayGrantRole(reach, body.role as MemberRole)) {
            throw new TetherError('TETHER_E_FORBIDDEN', `You may not make a ${body.role}`);
          }
          if (body.groupId) requireGroup(reach, body.groupId);
          if (body.groupId === null && !reach.whole) {
            throw new TetherError('TETHER_E_FORBIDDEN', 'Only a master administrator may do this');
          }
          const members = deps.storage.forTenant(reach.caller.tenantId).members;
          await members.update(member.id, { ...body, role: body.role as MemberRole | undefined });
          const after = (await members.findById(member.id)) as Member;
          await deps.audit.append({
            tenantId: reach.caller.tenantId,
            action: 'member.changed',
            actor: { kind: 'member', id: reach.caller.memberId },
            target: { kind: 'member', id: member.id },
            ...(after.groupId ? { nodeId: after.groupId } : {}),
            ip,
            before: view(member),
            after: view(after),
          });
          return { body: view(after) };
        },
      },
      'engine',
    ),
    ...memberActionRoutes(deps, caller),
  ];
}

type CallerReach = (principal: Principal | undefined) => Promise<Reach>;

/** Unlock, disable, enable and reset the password of a member in reach. */
function memberActionRoutes(deps: AdminDeps, caller: CallerReach): Disposable[] {
  const action = (
    name: 'unlock' | 'disable' | 'enable' | 'reset-password',
    summary: string,
    apply: (reach: Reach, member: Member) => Promise<{ secret?: ReturnType<typeof newSecret> }>,
  ) =>
    deps.api.register(
      {
        ...base,
        method: 'POST',
        path: `/api/v1/members/:memberId/${name}`,
        operationId: `${name.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}Member`,
        summary,
        params: MemberId,
        responses: {
          200: {
            description: 'Done',
            schema: z.object({ member: MemberBody, oneTimeSecret: z.string().optional() }),
          },
        },
        handler: async ({ principal, params, ip }) => {
          const reach = await caller(principal);
          const member = await managed(deps, reach, params.memberId);
          const { secret } = await apply(reach, member);
          const members = deps.storage.forTenant(reach.caller.tenantId).members;
          const after = (await members.findById(member.id)) as Member;
          await deps.audit.append({
            tenantId: reach.caller.tenantId,
            action: `member.${name}`,
            actor: { kind: 'member', id: reach.caller.memberId },
            target: { kind: 'member', id: member.id },
            ...(member.groupId ? { nodeId: member.groupId } : {}),
            ip,
            before: view(member),
            after: view(after),
          });
          return {
            body: { member: view(after), ...(secret ? { oneTimeSecret: secret.secret } : {}) },
          };
        },
      },
      'engine',
    );
  const scopeOf = (reach: Reach) => deps.storage.forTenant(reach.caller.tenantId);
  return [
    action('unlock', 'Lifts a lock after failed sign-ins', async (reach, member) => {
      await scopeOf(reach).members.updateCredentials(member.id, {
        lockedAt: null,
        failedAttempts: 0,
      });
      return {};
    }),
    action('disable', 'Disables a member; their sign-ins end at once', async (reach, member) => {
      await scopeOf(reach).members.updateCredentials(member.id, { disabled: true });
      await scopeOf(reach).signIns.revokeAllOf(member.id, deps.clock.now());
      return {};
    }),
    action('enable', 'Enables a disabled member', async (reach, member) => {
      await scopeOf(reach).members.updateCredentials(member.id, { disabled: false });
      return {};
    }),
    action(
      'reset-password',
      'Forces a new password: a one-time secret replaces the old one, sign-ins end',
      async (reach, member) => {
        const secret = newSecret(deps.clock);
        await scopeOf(reach).members.updateCredentials(member.id, {
          passwordHash: null,
          mustChangePassword: true,
          oneTimeSecretHash: secret.hash,
          oneTimeSecretExpiresAt: secret.expiresAt,
        });
        await scopeOf(reach).signIns.revokeAllOf(member.id, deps.clock.now());
        return { secret };
      },
    ),
  ];
}
