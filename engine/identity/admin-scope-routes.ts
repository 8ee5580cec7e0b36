import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import { TetherError } from '../errors.js';
import { MASTER_ROLES, mayManage, reachOf, requireGroup, type Reach } from './admin-reach.js';
import type { AdminDeps } from './member-admin-routes.js';

const MemberId = z.object({ memberId: z.uuid() });
const ReachBody = z.object({
  groupIds: z
    .array(z.uuid())
    .max(200)
    .describe('The groups whose subtrees the administrator manages'),
});
const base = { tags: ['members'], roles: MASTER_ROLES } as const;

/** A member of the tenant the caller manages, or 404 as for anything out of reach. */
async function managedMember(deps: AdminDeps, reach: Reach, memberId: string) {
  const members = deps.storage.forTenant(reach.caller.tenantId).members;
  const member = await members.findById(memberId);
  if (!member || !mayManage(reach, member)) {
    throw new TetherError('TETHER_E_NOT_FOUND', 'No such member');
  }
  return member;
}

/**
 * Registers the reach of administrators: the groups whose subtrees each one manages. Only
 * master roles read or set it, since only they manage administrators.
 */
export function registerAdminScopeRoutes(deps: AdminDeps): Disposable[] {
  const caller = (principal: Principal | undefined) =>
    reachOf(deps.storage, principal as Principal);
  const groupsOf = (reach: Reach) => deps.storage.forTenant(reach.caller.tenantId).groups;
  return [
    deps.api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/members/:memberId/reach',
        operationId: 'getMemberReach',
        summary: 'The groups an administrator manages, with everything below them',
        params: MemberId,
        responses: { 200: { description: 'The reach', schema: ReachBody } },
        handler: async ({ principal, params }) => {
          const reach = await caller(principal);
          const member = await managedMember(deps, reach, params.memberId);
          return { body: { groupIds: [...(await groupsOf(reach).adminScopes(member.id))] } };
        },
      },
      'engine',
    ),
    deps.api.register(
      {
        ...base,
        method: 'PUT',
        path: '/api/v1/members/:memberId/reach',
        operationId: 'setMemberReach',
        summary: 'Replaces the groups an administrator manages; their subtrees come with them',
        params: MemberId,
        body: ReachBody,
        responses: { 200: { description: 'The reach now', schema: ReachBody } },
        handler: async ({ principal, params, body, ip }) => {
          const reach = await caller(principal);
          const member = await managedMember(deps, reach, params.memberId);
          if (member.role !== 'administrator') {
            throw new TetherError('TETHER_E_VALIDATION', 'body.groupIds: not an administrator');
          }
          const groupIds = [...new Set(body.groupIds)];
          for (const groupId of groupIds) requireGroup(reach, groupId);
          const before = [...(await groupsOf(reach).adminScopes(member.id))];
          await groupsOf(reach).setAdminScopes(member.id, groupIds);
          await deps.audit.append({
            tenantId: reach.caller.tenantId,
            action: 'member.reach.changed',
            actor: { kind: 'member', id: reach.caller.memberId },
            target: { kind: 'member', id: member.id },
            ...(member.groupId ? { nodeId: member.groupId } : {}),
            ip,
            before: { groupIds: before },
            after: { groupIds },
          });
          return { body: { groupIds } };
        },
      },
      'engine',
    ),
  ];
}
