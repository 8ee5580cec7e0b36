import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { ApiRegistry } from '../http/api-registry.js';
import type { EndUserJoin, JoinService } from './join-service.js';
import { Name } from './session-routes.js';

const Joined = z.object({
  sessionId: z.string(),
  participantId: z.string(),
  secret: z.string(),
  engineKey: z.string(),
  gatewayUrl: z.string(),
  expiresAt: z.iso.datetime(),
});
const CodeBody = z.object({ code: z.string().max(32), name: Name.optional() });
const base = { tags: ['sessions'], access: 'public' } as const;

function joinedView(joined: EndUserJoin): z.output<typeof Joined> {
  const { sessionId, participantId, secret, engineKey, gatewayUrl, expiresAt } = joined;
  return { sessionId, participantId, secret, engineKey, gatewayUrl, expiresAt };
}

/**
 * The end users' public routes: join with a code (or download the signed applet ticket for
 * it), or arrive unasked in a group's queue. Credentials are in the answers only, never in URLs.
 */
export function registerJoinRoutes(api: ApiRegistry, join: JoinService): Disposable[] {
  return [
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/join',
        operationId: 'joinSession',
        summary: 'Uses up a join code and answers with the end user credentials for the gateway',
        body: CodeBody,
        responses: {
          200: { description: 'Joined', schema: Joined },
          404: { description: 'Wrong, used or expired code (TETHER_E_JOIN_CODE)' },
          429: { description: 'Too many wrong codes from this address' },
        },
        handler: async ({ body, ip }) => ({
          body: joinedView(await join.join(body.code, body.name, ip)),
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/sessions/join/applet',
        operationId: 'joinSessionApplet',
        summary: 'Uses up a join code and answers with the signed per-session applet ticket',
        body: CodeBody,
        responses: {
          200: {
            description: 'The applet ticket file (tether-session.json)',
            schema: z.object({
              ticket: z.object({
                server: z.string(),
                sessionId: z.string(),
                participantId: z.string(),
                secret: z.string(),
                engineKey: z.string(),
                expiresAt: z.iso.datetime(),
              }),
              signature: z.string(),
            }),
          },
          404: { description: 'Wrong, used or expired code (TETHER_E_JOIN_CODE)' },
        },
        handler: async ({ body, ip }) => ({
          body: await join.joinApplet(body.code, body.name, ip),
          headers: { 'content-disposition': 'attachment; filename="tether-session.json"' },
        }),
      },
      'engine',
    ),
    api.register(
      {
        tags: ['queue'],
        access: 'public',
        method: 'POST',
        path: '/api/v1/queues/:groupId/arrivals',
        operationId: 'arriveInQueue',
        summary: "Puts a new session into a group's queue and answers with its credentials",
        params: z.object({ groupId: z.string().max(64) }),
        body: z.object({ name: Name }),
        responses: {
          200: { description: 'Waiting in the queue', schema: Joined },
          404: { description: 'No such queue' },
        },
        handler: async ({ params, body, ip }) => ({
          body: joinedView(await join.arrive(params.groupId, body.name, ip)),
        }),
      },
      'engine',
    ),
  ];
}
