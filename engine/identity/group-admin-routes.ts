import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { Group, PermissionSetting } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { ADMIN_ROLES, reachOf, requireGroup, type Reach } from './admin-reach.js';
import { IpAllowList } from './ip-allow-list.js';
import type { AdminDeps } from './member-admin-routes.js';
import type { CatalogueEntry } from './permission-catalogue.js';

/** What the group routes add to the member routes' needs: the permission catalogue. */
export interface GroupAdminDeps extends AdminDeps {
  /** Built-in permissions and those of the active plugins. */
  readonly catalogue: () => readonly CatalogueEntry[];
}

const GroupId = z.object({ groupId: z.uuid() });
const GroupBody = z.object({
  id: z.uuid(),
  parentId: z.uuid().optional(),
  name: z.string(),
  ipAllowList: z.array(z.string()).optional(),
});
const Effective = z.object({
  permission: z.string(),
  allowed: z.boolean(),
  own: z.boolean().nullable().describe('What this group says; null: inherited'),
  lockedBy: z.uuid().optional().describe('The group whose lock holds'),
});
const base = { tags: ['groups'], roles: ADMIN_ROLES } as const;

function view(group: Group) {
  return {
    id: group.id,
    ...(group.parentId ? { parentId: group.parentId } : {}),
    name: group.name,
    ...(group.ipAllowList ? { ipAllowList: [...group.ipAllowList] } : {}),
  };
}

function forbidTop(reach: Reach): void {
  if (!reach.whole) {
    throw new TetherError('TETHER_E_FORBIDDEN', 'Only a master administrator works at the top');
  }
}

/**
 * An administrator may not move a group out from under a lock set above it: the group would
 * shed the lock and its permission would be theirs to change. `above` holds the settings of the
 * groups now above it.
 */
function forbidLockEscape(reach: Reach, parentId: string, above: readonly PermissionSetting[]) {
  const stays = new Set(reach.tree.path(parentId));
  if (above.some((setting) => setting.locked && !stays.has(setting.groupId))) {
    throw new TetherError('TETHER_E_LOCKED_SETTING', 'A lock above the group holds it in place');
  }
}

/** Registers the organisation tree and its permission matrix, confined to the caller's reach. */
export function registerGroupAdminRoutes(deps: GroupAdminDeps): Disposable[] {
  const { api } = deps;
  const caller = (principal: Principal | undefined) =>
    reachOf(deps.storage, principal as Principal);
  const groupsOf = (reach: Reach) => deps.storage.forTenant(reach.caller.tenantId).groups;
  const audit = (reach: Reach, action: string, groupId: string, ip: string, change: object) =>
    deps.audit.append({
      tenantId: reach.caller.tenantId,
      action,
      actor: { kind: 'member', id: reach.caller.memberId },
      target: { kind: 'group', id: groupId },
      nodeId: groupId,
      ip,
      ...change,
    });

  return [
    api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/groups',
        operationId: 'listGroups',
        summary: 'The groups the caller manages',
        responses: {
          200: { description: 'Groups', schema: z.object({ items: z.array(GroupBody) }) },
        },
        handler: async ({ principal }) => {
          const reach = await caller(principal);
          const items = reach.tree.groups.filter((g) => reach.groups.has(g.id)).map(view);
          return { body: { items } };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/groups',
        operationId: 'createGroup',
        summary: 'Makes a group, at the top or below a group in reach',
        body: z.object({ name: z.string().trim().min(1).max(200), parentId: z.uuid().optional() }),
        responses: { 201: { description: 'Made', schema: GroupBody } },
        handler: async ({ principal, body, ip }) => {
          const reach = await caller(principal);
          if (body.parentId) requireGroup(reach, body.parentId);
          else forbidTop(reach);
          const group = await groupsOf(reach).create(body);
          await audit(reach, 'group.created', group.id, ip, { after: view(group) });
          return { status: 201, body: view(group) };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'PATCH',
        path: '/api/v1/groups/:groupId',
        operationId: 'updateGroup',
        summary: 'Renames a group or moves it within reach',
        params: GroupId,
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          parentId: z.uuid().nullable().optional(),
          ipAllowList: z
            .array(z.string().max(100))
            .max(500)
            .nullable()
            .optional()
            .describe("Addresses the group's members may work from; null: no limit of its own"),
        }),
        responses: { 200: { description: 'Changed', schema: GroupBody } },
        handler: async ({ principal, params, body, ip }) => {
          const reach = await caller(principal);
          requireGroup(reach, params.groupId);
          if (body.ipAllowList) IpAllowList.parse(body.ipAllowList, 'body.ipAllowList');
          if (body.parentId) {
            requireGroup(reach, body.parentId);
            if (reach.tree.wouldCycle(params.groupId, body.parentId)) {
              throw new TetherError('TETHER_E_VALIDATION', 'body.parentId: a group below itself');
            }
            if (!reach.whole) {
              const above = reach.tree.path(params.groupId).slice(0, -1);
              forbidLockEscape(reach, body.parentId, await groupsOf(reach).settings(above));
            }
          }
          if (body.parentId === null) forbidTop(reach);
          const before = (await groupsOf(reach).findById(params.groupId)) as Group;
          await groupsOf(reach).update(params.groupId, body);
          const after = (await groupsOf(reach).findById(params.groupId)) as Group;
          await audit(reach, 'group.changed', after.id, ip, {
            before: view(before),
            after: view(after),
          });
          return { body: view(after) };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'DELETE',
        path: '/api/v1/groups/:groupId',
        operationId: 'deleteGroup',
        summary: 'Deletes a group without subgroups or members',
        params: GroupId,
        responses: { 204: { description: 'Deleted' } },
        handler: async ({ principal, params, ip }) => {
          const reach = await caller(principal);
          requireGroup(reach, params.groupId);
          const before = (await groupsOf(reach).findById(params.groupId)) as Group;
          await groupsOf(reach).delete(params.groupId);
          await audit(reach, 'group.deleted', params.groupId, ip, { before: view(before) });
          return { status: 204 };
        },
      },
      'engine',
    ),
    ...permissionRoutes(deps, caller, audit),
  ];
}

type Audit = (reach: Reach, action: string, groupId: string, ip: string, change: object) => unknown;

function permissionRoutes(
  deps: GroupAdminDeps,
  caller: (principal: Principal | undefined) => Promise<Reach>,
  audit: Audit,
): Disposable[] {
  const effective = async (reach: Reach, groupId: string) => {
    const groups = deps.storage.forTenant(reach.caller.tenantId).groups;
    const settings = await groups.settings(reach.tree.path(groupId));
    return reach.tree.effective(groupId, deps.catalogue(), settings);
  };
  return [
    deps.api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/groups/:groupId/permissions',
        operationId: 'getGroupPermissions',
        summary: 'Every permission of a group: inherited, its own, and locks',
        params: GroupId,
        responses: {
          200: { description: 'The matrix row', schema: z.object({ items: z.array(Effective) }) },
        },
        handler: async ({ principal, params }) => {
          const reach = await caller(principal);
          requireGroup(reach, params.groupId);
          return { body: { items: await effective(reach, params.groupId) } };
        },
      },
      'engine',
    ),
    deps.api.register(
      {
        ...base,
        method: 'PUT',
        path: '/api/v1/groups/:groupId/permissions/:permission',
        operationId: 'setGroupPermission',
        summary: 'Allows, denies or inherits a permission; master administrators may lock it',
        params: z.object({ groupId: z.uuid(), permission: z.string().min(1).max(100) }),
        body: z.object({ allowed: z.boolean().nullable(), locked: z.boolean().default(false) }),
        responses: { 200: { description: 'The permission now', schema: Effective } },
        handler: async ({ principal, params, body, ip }) => {
          const reach = await caller(principal);
          requireGroup(reach, params.groupId);
          if (!deps.catalogue().some((entry) => entry.id === params.permission)) {
            throw new TetherError('TETHER_E_NOT_FOUND', 'No such permission');
          }
          const before = (await effective(reach, params.groupId)).find(
            (p) => p.permission === params.permission,
          );
          if (!reach.whole && (body.locked || before?.lockedBy)) {
            throw new TetherError('TETHER_E_LOCKED_SETTING');
          }
          const groups = deps.storage.forTenant(reach.caller.tenantId).groups;
          // A lock pins a value: locking an inherited permission keeps what it is now, so a
          // change further up cannot move it underneath the lock.
          const allowed =
            body.locked && body.allowed === null ? (before?.allowed ?? null) : body.allowed;
          await groups.setPermission(params.groupId, params.permission, { ...body, allowed });
          const after = (await effective(reach, params.groupId)).find(
            (p) => p.permission === params.permission,
          );
          await audit(reach, 'group.permission.changed', params.groupId, ip, { before, after });
          return { body: after };
        },
      },
      'engine',
    ),
  ];
}
