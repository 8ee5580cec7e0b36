import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { Member, TenantScope } from '../contracts/storage-contract.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { callerMember } from './session-access.js';
import type { SessionsDeps } from './sessions-deps.js';

/** More members than this are not listed: a handover list is not a member search. */
const MAX_COLLEAGUES = 2_000;
const PAGE = 500;

const Colleague = z.object({
  id: z.uuid(),
  displayName: z.string(),
  groupId: z.uuid().optional(),
});
const Queue = z.object({ id: z.uuid(), name: z.string() });
const Colleagues = z.object({
  technicians: z.array(Colleague).describe('Enabled members in a group, the caller left out'),
  groups: z.array(Queue).describe("The tenant's groups, whose queues take a transfer"),
  truncated: z.boolean(),
});

/**
 * `GET /api/v1/colleagues`: whom a technician can hand a session to or invite, for any
 * signed-in member (the administration lists are for administrators only). It names people
 * and groups, nothing else: no e-mail address, role or setting. Whether a transfer or an
 * invitation is allowed is still decided by the session routes.
 */
export function registerColleagueRoute(api: ApiRegistry, deps: SessionsDeps): Disposable {
  return api.register(
    {
      method: 'GET',
      path: '/api/v1/colleagues',
      operationId: 'listColleagues',
      summary: 'Technicians and groups a session can be handed to',
      tags: ['sessions'],
      responses: { 200: { description: 'Colleagues and queues', schema: Colleagues } },
      handler: async ({ principal }) => {
        const caller = principal as Principal;
        await callerMember(deps, caller);
        const scope = deps.storage.forTenant(caller.tenantId);
        const [{ members, truncated }, groups] = await Promise.all([
          enabledMembers(scope),
          scope.groups.list(),
        ]);
        const technicians = members
          .filter((member) => member.id !== caller.memberId && member.groupId !== undefined)
          .map(({ id, displayName, groupId }) => ({ id, displayName, groupId }));
        const queues = groups.map(({ id, name }) => ({ id, name }));
        return { body: { technicians, groups: queues, truncated } };
      },
    },
    'engine',
  );
}

async function enabledMembers(scope: TenantScope) {
  const members: Member[] = [];
  let after: string | undefined;
  do {
    const page = await scope.members.list({ limit: PAGE, ...(after ? { after } : {}) });
    members.push(...page.items.filter((member) => !member.disabled));
    after = page.next;
  } while (after !== undefined && members.length < MAX_COLLEAGUES);
  return { members: members.slice(0, MAX_COLLEAGUES), truncated: after !== undefined };
}
