import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { SupportSessionRecord } from '../contracts/storage-contract.js';
import type { ApiRegistry } from '../http/api-registry.js';
import { accessOf, callerMember, visibleGroups } from './session-access.js';
import type { SessionService } from './session-service.js';
import {
  detailView,
  itemView,
  SessionDetail,
  SessionItem,
  SessionStateEnum,
} from './session-views.js';
import { gatewayUrlOf, type SessionsDeps } from './sessions-deps.js';

const Ref = z.object({ id: z.string().max(16) });
/** An end user's name as people type it: no control characters. */
export const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, { error: 'must not hold control characters' });
const base = { tags: ['sessions'] } as const;
const one = { 200: { description: 'The session', schema: SessionItem } };

/** What the session routes need. */
export interface SessionRouteDeps {
  readonly api: ApiRegistry;
  readonly deps: SessionsDeps;
  readonly service: SessionService;
}

/** The technicians' session routes: make, list, read, pick up, transfer, invite, hold, end. */
export function registerSessionRoutes(routes: SessionRouteDeps): Disposable[] {
  return [...registerReadRoutes(routes), ...registerActionRoutes(routes)];
}

const who = (principal: Principal | undefined) => principal as Principal;

function registerReadRoutes({ api, deps, service }: SessionRouteDeps): Disposable[] {
  return [
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions',
        operationId: 'createSession',
        summary: 'Makes a session waiting for its end user; the join code is shown only now',
        body: z.object({ endUserName: Name.optional() }),
        responses: {
          201: {
            description: 'Made',
            schema: z.object({
              id: z.string(),
              sessionId: z.string(),
              joinCode: z.string(),
              joinCodeExpiresAt: z.iso.datetime(),
              joinUrl: z.string(),
              gatewayUrl: z.string(),
              engineKey: z.string(),
              state: SessionStateEnum,
            }),
          },
        },
        handler: async ({ principal, body, ip }) => {
          const { session, joinCode } = await service.create(who(principal), body.endUserName, ip);
          const publicUrl = deps.settings.publicUrl();
          return {
            status: 201,
            body: {
              id: session.ref,
              sessionId: session.guid,
              joinCode,
              joinCodeExpiresAt: (session.joinCodeExpiresAt as Date).toISOString(),
              joinUrl: `${publicUrl}/join`,
              gatewayUrl: gatewayUrlOf(publicUrl),
              engineKey: deps.signingKey.publicKey(),
              state: session.state,
            },
          };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/sessions',
        operationId: 'listSessions',
        summary: "The caller's sessions and those of the groups they see, without any secret",
        query: z.object({
          state: SessionStateEnum.optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          after: z.string().max(400).optional(),
        }),
        responses: {
          200: {
            description: 'A page',
            schema: z.object({ items: z.array(SessionItem), next: z.string().optional() }),
          },
        },
        handler: async ({ principal, query }) => {
          const caller = who(principal);
          const member = await callerMember(deps, caller);
          const groups = await visibleGroups(deps, caller, member);
          const page = await deps.storage
            .forTenant(caller.tenantId)
            .sessions.list(
              { memberId: member.id, ...groups, ...(query.state ? { state: query.state } : {}) },
              { limit: query.limit, after: query.after },
            );
          const items = page.items.map(itemView);
          return { body: page.next ? { items, next: page.next } : { items } };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/sessions/:id',
        operationId: 'getSession',
        summary: 'One session; its GUID only for its owner and collaborators',
        params: Ref,
        responses: { 200: { description: 'The session', schema: SessionDetail } },
        handler: async ({ principal, params }) => {
          const access = await accessOf(deps, who(principal), params.id);
          const withGuid = access.isOwner || access.isCollaborator;
          return { body: detailView(access.session, access.participants, withGuid) };
        },
      },
      'engine',
    ),
    api.register(
      {
        tags: ['queue'],
        method: 'GET',
        path: '/api/v1/queue',
        operationId: 'listQueue',
        summary: "The sessions waiting in the queue of the caller's group",
        responses: {
          200: { description: 'The queue', schema: z.object({ items: z.array(SessionItem) }) },
        },
        handler: async ({ principal }) => {
          const caller = who(principal);
          const member = await callerMember(deps, caller);
          const groupIds = member.groupId ? [member.groupId] : [];
          const queued = await deps.storage.forTenant(caller.tenantId).sessions.queue(groupIds);
          return { body: { items: queued.map(itemView) } };
        },
      },
      'engine',
    ),
  ];
}

function registerActionRoutes({ api, deps, service }: SessionRouteDeps): Disposable[] {
  const action = (
    name: string,
    operationId: string,
    summary: string,
    act: (principal: Principal, ref: string, ip: string) => Promise<SupportSessionRecord>,
  ) =>
    api.register(
      {
        ...base,
        method: 'POST',
        path: `/api/v1/sessions/:id/${name}`,
        operationId,
        summary,
        params: Ref,
        responses: one,
        handler: async ({ principal, params, ip }) => ({
          body: itemView(await act(who(principal), params.id, ip)),
        }),
      },
      'engine',
    );
  return [
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/:id/pick-up',
        operationId: 'pickUpSession',
        summary: 'Takes a queued session; of several technicians at once exactly one wins',
        params: Ref,
        responses: {
          200: {
            description: 'Picked up',
            schema: SessionItem.extend({ sessionId: z.string(), engineKey: z.string() }),
          },
          409: { description: 'Another technician was first' },
        },
        handler: async ({ principal, params, ip }) => {
          const session = await service.pickUp(who(principal), params.id, ip);
          const engineKey = deps.signingKey.publicKey();
          return { body: { ...itemView(session), sessionId: session.guid, engineKey } };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/:id/transfer',
        operationId: 'transferSession',
        summary: "Hands the session to a technician or into a group's queue (owner only)",
        params: Ref,
        body: z.union([z.object({ memberId: z.uuid() }), z.object({ groupId: z.uuid() })]),
        responses: one,
        handler: async ({ principal, params, body, ip }) => ({
          body: itemView(await service.transfer(who(principal), params.id, body, ip)),
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/:id/collaborators',
        operationId: 'inviteCollaborator',
        summary: 'Invites a technician to join with their own permissions (owner only)',
        params: Ref,
        body: z.object({ memberId: z.uuid() }),
        responses: one,
        handler: async ({ principal, params, body, ip }) => ({
          body: itemView(await service.invite(who(principal), params.id, body.memberId, ip)),
        }),
      },
      'engine',
    ),
    action('hold', 'holdSession', 'Puts the session on hold (owner only)', (p, ref, ip) =>
      service.hold(p, ref, ip),
    ),
    action('resume', 'resumeSession', 'Resumes a session on hold (owner only)', (p, ref, ip) =>
      service.resume(p, ref, ip),
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/:id/end',
        operationId: 'endSession',
        summary: 'Ends the session: its owner, or an administrator whose reach covers it',
        params: Ref,
        body: z.object({ reason: z.string().trim().min(1).max(500).optional() }),
        responses: one,
        handler: async ({ principal, params, body, ip }) => ({
          body: itemView(await service.end(who(principal), params.id, body.reason, ip)),
        }),
      },
      'engine',
    ),
  ];
}
