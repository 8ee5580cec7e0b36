import { randomBytes } from 'node:crypto';
import type { Clock } from '../contracts/clock-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Principal } from '../contracts/principal.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import { ENGINE_RECORDS } from '../contracts/plugin-contract.js';
import { TetherError } from '../errors.js';
import { digest } from '../identity/sign-in-token.js';

/** How long a ticket stays usable: long enough to open a WebSocket, short enough to be moot. */
export const GATEWAY_TICKET_SECONDS = 30;

const KIND = 'gateway-ticket';
const PREFIX = 'tgt';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
/** Expired, never used tickets removed per issue, so the records stay few without a sweeper. */
const PRUNE_BATCH = 20;

/** A ticket as issued: the text the page sends once, and when it stops counting. */
export interface IssuedTicket {
  readonly ticket: string;
  readonly expiresAt: Date;
}

/** The sign-in a redeemed ticket stood for. */
export interface RedeemedTicket {
  readonly tenantId: TenantId;
  readonly signInId: string;
}

/**
 * Gateway tickets: a browser's technician signs in with an HttpOnly cookie, which the page
 * cannot read and the gateway never accepts, so the page asks for a ticket (cookie + CSRF) and
 * sends it as its in-band credential instead. A ticket is `tgt.<tenant>.<32 random bytes>`,
 * lives {@link GATEWAY_TICKET_SECONDS}, is good for one admission only and stands for the sign-in
 * that asked for it, which the gateway checks again as it would a token. Only the SHA-256 of a
 * ticket is stored, through Storage (the engine's own records), so any node can redeem it.
 */
export class GatewayTickets {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Whether a technician credential is shaped like a ticket rather than a sign-in token. */
  static isTicket(token: string): boolean {
    return token.startsWith(`${PREFIX}.`);
  }

  /** A new ticket for the caller's sign-in; API keys get none (they have no sign-in). */
  async issue(principal: Principal): Promise<IssuedTicket> {
    if (principal.via !== 'sign-in') {
      throw new TetherError('TETHER_E_FORBIDDEN', 'Gateway tickets are for signed-in members');
    }
    const ticket = `${PREFIX}.${principal.tenantId}.${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.clock.nowMs() + GATEWAY_TICKET_SECONDS * 1000);
    const records = this.records(principal.tenantId);
    await this.prune(principal.tenantId);
    const value = { signInId: principal.sessionId, expiresAt: expiresAt.toISOString() };
    await records.add(KIND, digest(ticket), value, { at: expiresAt });
    this.logger.debug({ tenant: principal.tenantId, member: principal.memberId }, 'ticket issued');
    return { ticket, expiresAt };
  }

  /**
   * Uses a ticket up: resolves with the sign-in it stands for, or undefined when it is
   * malformed, unknown, used already (of two redeemers at once exactly one wins) or expired.
   */
  async redeem(ticket: string): Promise<RedeemedTicket | undefined> {
    const [prefix, tenantId, secret, extra] = ticket.split('.');
    const wellFormed = prefix === PREFIX && extra === undefined && UUID.test(tenantId ?? '');
    if (!wellFormed || !SECRET.test(secret ?? '')) return undefined;

    const records = this.records(tenantId as TenantId);
    const key = digest(ticket);
    const found = await records.get(KIND, key);
    if (found === undefined || !(await records.delete(KIND, key))) return undefined;
    const { signInId, expiresAt } = found.value as { signInId: string; expiresAt: string };
    if (Date.parse(expiresAt) <= this.clock.nowMs()) return undefined;
    return { tenantId: tenantId as TenantId, signInId };
  }

  private records(tenantId: TenantId) {
    return this.storage.forTenant(tenantId).pluginRecords(ENGINE_RECORDS);
  }

  private async prune(tenantId: TenantId): Promise<void> {
    const records = this.records(tenantId);
    const now = this.clock.now();
    const stale = await records.find(KIND, { to: now }, { limit: PRUNE_BATCH });
    for (const record of stale.items) await records.delete(KIND, record.key);
  }
}
