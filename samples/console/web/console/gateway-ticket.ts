import { api } from '../shared/api-client.js';

/** What `POST /api/v1/gateway/tickets` answers: a credential good for one admission. */
export interface GatewayTicket {
  readonly ticket: string;
  readonly expiresAt: string;
  readonly gatewayUrl: string;
  readonly engineKey: string;
}

/**
 * A fresh single-use gateway ticket for this page's sign-in. The sign-in itself is an HttpOnly
 * cookie that the page cannot read and the gateway never accepts; the ticket stands in for it,
 * once, within 30 seconds.
 */
export function gatewayTicket(): Promise<GatewayTicket> {
  return api<GatewayTicket>('/api/v1/gateway/tickets', { method: 'POST' });
}
