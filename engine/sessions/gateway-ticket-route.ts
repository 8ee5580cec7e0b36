import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { ApiRegistry } from '../http/api-registry.js';
import type { GatewayTickets } from './gateway-tickets.js';
import { gatewayUrlOf, type SessionsDeps } from './sessions-deps.js';

const TicketBody = z.object({
  ticket: z.string().describe('Send once as the technician token of the gateway auth or watch'),
  expiresAt: z.iso.datetime(),
  gatewayUrl: z.string(),
  engineKey: z.string().describe("The engine's Ed25519 key that signs participant certificates"),
});

/**
 * `POST /api/v1/gateway/tickets`: a single-use, short-lived credential for the gateway, for a
 * page whose sign-in is an HttpOnly cookie it cannot read (cookie and CSRF header, like every
 * write). With it come the gateway's URL and the engine key to pin.
 */
export function registerGatewayTicketRoute(
  api: ApiRegistry,
  deps: SessionsDeps,
  tickets: GatewayTickets,
): Disposable {
  return api.register(
    {
      method: 'POST',
      path: '/api/v1/gateway/tickets',
      operationId: 'createGatewayTicket',
      summary: "A single-use ticket that admits the caller's sign-in to the gateway once",
      tags: ['sessions'],
      responses: {
        201: { description: 'Issued; usable once, for 30 seconds', schema: TicketBody },
        403: { description: 'An API key asked (TETHER_E_FORBIDDEN)' },
      },
      handler: async ({ principal }) => {
        const issued = await tickets.issue(principal as Principal);
        return {
          status: 201,
          body: {
            ticket: issued.ticket,
            expiresAt: issued.expiresAt.toISOString(),
            gatewayUrl: gatewayUrlOf(deps.settings.publicUrl()),
            engineKey: deps.signingKey.publicKey(),
          },
        };
      },
    },
    'engine',
  );
}
