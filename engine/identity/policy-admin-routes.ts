import { z } from 'zod';
import type { AuditRecord } from '../contracts/audit-log-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import type { JsonValue } from '../contracts/json-value.js';
import type { Principal } from '../contracts/principal.js';
import { ADMIN_ROLES, MASTER_ROLES, reachOf, requireGroup, type Reach } from './admin-reach.js';
import { policyOf } from './identity-deps.js';
import { IpAllowList } from './ip-allow-list.js';
import type { AdminDeps } from './member-admin-routes.js';
import { TenantPolicySchema } from './tenant-policy.js';

const AuditQuery = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  action: z.string().max(100).optional().describe('Only this action, such as member.created'),
  nodeId: z.uuid().optional().describe('Only what happened in this group'),
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const Record = z.object({
  seq: z.number(),
  at: z.string(),
  action: z.string(),
  actor: z.object({ kind: z.string(), id: z.string().optional(), label: z.string().optional() }),
  target: z.object({ kind: z.string(), id: z.string().optional() }).optional(),
  nodeId: z.string().optional(),
  ip: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  details: z.unknown().optional(),
});

function view(record: AuditRecord) {
  const { tenantId: _tenant, prevHash: _prev, hash: _hash, ...rest } = record;
  return { ...rest, at: record.at.toISOString() };
}

/** The groups a report covers: the one asked for (in reach), else all the caller reaches. */
function nodeFilter(reach: Reach, nodeId: string | undefined): { nodeIds?: string[] } {
  if (nodeId !== undefined) {
    requireGroup(reach, nodeId);
    return { nodeIds: [nodeId] };
  }
  return reach.whole ? {} : { nodeIds: [...reach.groups] };
}

/** Registers the tenant policy (master roles) and the audit report (by reach). */
export function registerPolicyAdminRoutes(deps: AdminDeps): Disposable[] {
  const { api } = deps;
  return [
    api.register(
      {
        method: 'GET',
        path: '/api/v1/policy',
        operationId: 'getPolicy',
        summary: "The tenant's policy, defaults filled in",
        tags: ['policy'],
        roles: MASTER_ROLES,
        responses: { 200: { description: 'The policy', schema: TenantPolicySchema } },
        handler: async ({ principal }) => ({
          body: await policyOf(deps.storage, (principal as Principal).tenantId),
        }),
      },
      'engine',
    ),
    api.register(
      {
        method: 'PUT',
        path: '/api/v1/policy',
        operationId: 'putPolicy',
        summary: "Replaces the tenant's policy; what it leaves out takes the default",
        tags: ['policy'],
        roles: MASTER_ROLES,
        body: TenantPolicySchema,
        responses: { 200: { description: 'The policy now', schema: TenantPolicySchema } },
        handler: async ({ principal, body, ip }) => {
          const caller = principal as Principal;
          IpAllowList.parse(body.ipAllowList, 'body.ipAllowList');
          const before = await policyOf(deps.storage, caller.tenantId);
          const policy = deps.storage.forTenant(caller.tenantId).policy;
          await policy.put(body as unknown as JsonValue, deps.clock.now());
          await deps.audit.append({
            tenantId: caller.tenantId,
            action: 'policy.changed',
            actor: { kind: 'member', id: caller.memberId },
            target: { kind: 'policy' },
            ip,
            before: before as unknown as JsonValue,
            after: body as unknown as JsonValue,
          });
          return { body };
        },
      },
      'engine',
    ),
    api.register(
      {
        method: 'GET',
        path: '/api/v1/audit',
        operationId: 'listAudit',
        summary: 'Audit records by period and action; administrators see their groups only',
        tags: ['audit'],
        roles: ADMIN_ROLES,
        query: AuditQuery,
        responses: {
          200: {
            description: 'Records, oldest first',
            schema: z.object({ items: z.array(Record) }),
          },
        },
        handler: async ({ principal, query }) => {
          const reach = await reachOf(deps.storage, principal as Principal);
          const records = await deps.audit.list(reach.caller.tenantId, {
            ...(query.from ? { from: new Date(query.from) } : {}),
            ...(query.to ? { to: new Date(query.to) } : {}),
            ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}),
            ...(query.action ? { actions: [query.action] } : {}),
            ...nodeFilter(reach, query.nodeId),
            limit: query.limit,
          });
          return { body: { items: records.map(view) } };
        },
      },
      'engine',
    ),
  ];
}
