import type { Bus } from '../contracts/bus-contract.js';
import type { Clock } from '../contracts/clock-contract.js';
import type { ConsentDecision } from '../contracts/consent-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { SupportSessionState } from '../contracts/sessions-contract.js';
import type {
  SessionStateChange,
  Storage,
  SupportSessionRecord,
  TenantId,
} from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { SessionEvents } from './session-events.js';
import {
  queueTopic,
  sessionControlTopic,
  type QueueChange,
  type SessionControlMessage,
} from './session-port.js';
import { technicianParticipantId } from './session-secrets.js';

/** Why a session closed. */
export type CloseReason =
  | 'ended-by-technician'
  | 'ended-by-end-user'
  | 'connection-lost'
  | 'code-expired'
  | 'ended-by-administrator';

/** A move of the state machine; each names the only states it may start from. */
export type SessionCommand =
  | { readonly kind: 'connect' }
  | { readonly kind: 'pick-up'; readonly memberId: string }
  | { readonly kind: 'hold' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'transfer-to-member'; readonly memberId: string }
  | { readonly kind: 'transfer-to-group'; readonly groupId: string }
  | { readonly kind: 'close'; readonly reason: CloseReason };

type Rule = { readonly from: readonly SupportSessionState[]; readonly to: SupportSessionState };

const OPEN: readonly SupportSessionState[] = ['waiting', 'active', 'on-hold', 'transferred'];

/** The whole transition table: anything not here is TETHER_E_SESSION_STATE. */
export const TRANSITIONS: Readonly<Record<SessionCommand['kind'], Rule>> = {
  connect: { from: ['waiting', 'transferred'], to: 'active' },
  'pick-up': { from: ['waiting', 'transferred'], to: 'active' },
  hold: { from: ['active'], to: 'on-hold' },
  resume: { from: ['on-hold'], to: 'active' },
  'transfer-to-member': { from: ['active', 'on-hold', 'waiting'], to: 'transferred' },
  'transfer-to-group': { from: ['active', 'on-hold', 'waiting'], to: 'transferred' },
  close: { from: OPEN, to: 'closed' },
};

/** What the state machine needs. */
export interface StateMachineDeps {
  readonly storage: Storage;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly events: SessionEvents;
  readonly logger: Logger;
}

/**
 * The one place that changes a session's state. Each move is a single conditional UPDATE that
 * expects the state (and owner) it read, so of several nodes moving one session at once exactly
 * one wins; the losers get TETHER_E_SESSION_STATE (TETHER_E_SESSION_TAKEN for a pick-up). After
 * a move it logs once, tells the gateways on the bus and the in-process listeners.
 */
export class SessionStateMachine {
  constructor(private readonly deps: StateMachineDeps) {}

  /** Moves `session` by `command`; resolves with the session as stored afterwards. */
  async transition(
    tenantId: TenantId,
    session: SupportSessionRecord,
    command: SessionCommand,
  ): Promise<SupportSessionRecord> {
    this.check(session, command);
    const change = this.changeOf(session, command);
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    if (!(await repo.changeState(session.ref, change))) {
      throw this.lost(command);
    }
    const after = (await repo.findByRef(session.ref)) as SupportSessionRecord;
    await this.announce(tenantId, session, after, command);
    return after;
  }

  private check(session: SupportSessionRecord, command: SessionCommand): void {
    const rule = TRANSITIONS[command.kind];
    if (command.kind === 'pick-up' && session.ownerMemberId !== undefined) throw this.lost(command);
    if (!rule.from.includes(session.state)) {
      throw new TetherError(
        'TETHER_E_SESSION_STATE',
        `A ${session.state} session cannot ${command.kind}`,
      );
    }
    if (command.kind === 'connect' && session.ownerMemberId === undefined) {
      throw new TetherError('TETHER_E_SESSION_STATE', 'Nobody owns the session yet');
    }
  }

  private changeOf(session: SupportSessionRecord, command: SessionCommand): SessionStateChange {
    const updatedAt = this.deps.clock.now();
    const expected = { states: [session.state], ownerMemberId: session.ownerMemberId ?? null };
    const state = TRANSITIONS[command.kind].to;
    switch (command.kind) {
      case 'pick-up':
      case 'transfer-to-member':
        return { expected, patch: { state, ownerMemberId: command.memberId, updatedAt } };
      case 'transfer-to-group':
        return {
          expected,
          patch: { state, ownerMemberId: null, groupId: command.groupId, updatedAt },
        };
      case 'close':
        // Ending wins over any concurrent move: it expects only that the session is open.
        return {
          expected: { states: TRANSITIONS.close.from },
          patch: {
            state,
            closeReason: command.reason,
            endedAt: updatedAt,
            consent: revokeAll(session.consent),
            updatedAt,
          },
        };
      default:
        return { expected, patch: { state, updatedAt } };
    }
  }

  private lost(command: SessionCommand): TetherError {
    return command.kind === 'pick-up'
      ? new TetherError('TETHER_E_SESSION_TAKEN')
      : new TetherError('TETHER_E_SESSION_STATE', 'The session changed meanwhile');
  }

  private async announce(
    tenantId: TenantId,
    before: SupportSessionRecord,
    after: SupportSessionRecord,
    command: SessionCommand,
  ): Promise<void> {
    const reason = command.kind === 'close' ? command.reason : undefined;
    this.deps.logger.info(
      { tenant: tenantId, session: after.ref, from: before.state, to: after.state, reason },
      `session ${command.kind}`,
    );
    const state: SessionControlMessage = reason
      ? { t: 'state', state: after.state, reason }
      : { t: 'state', state: after.state };
    await this.publish(sessionControlTopic(after.guid), state);
    await this.removeFormerOwner(tenantId, before, after);
    await this.queueEffects(tenantId, before, after, command);
    const kind =
      command.kind === 'close'
        ? 'ended'
        : command.kind.startsWith('transfer')
          ? 'transferred'
          : 'state-changed';
    await this.deps.events.emit({ kind, tenantId, session: after });
  }

  /** A technician who no longer owns the session loses their place and their connection. */
  private async removeFormerOwner(
    tenantId: TenantId,
    before: SupportSessionRecord,
    after: SupportSessionRecord,
  ): Promise<void> {
    const former = before.ownerMemberId;
    if (!former || after.state === 'closed' || after.ownerMemberId === former) return;
    const participantId = technicianParticipantId(former);
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    await repo.markLeft(after.ref, participantId, this.deps.clock.now());
    await this.publish(sessionControlTopic(after.guid), { t: 'removed', participantId });
  }

  private async queueEffects(
    tenantId: TenantId,
    before: SupportSessionRecord,
    after: SupportSessionRecord,
    command: SessionCommand,
  ): Promise<void> {
    const wasQueued = queued(before);
    const isQueued = queued(after);
    if (isQueued && (!wasQueued || command.kind === 'transfer-to-group')) {
      if (wasQueued && before.groupId !== after.groupId) {
        await this.publishQueue(tenantId, before, 'left');
      }
      await this.publishQueue(tenantId, after, 'arrived');
    } else if (wasQueued && !isQueued) {
      await this.publishQueue(
        tenantId,
        after,
        command.kind === 'pick-up' ? 'picked-up' : 'left',
        before.groupId,
      );
    }
  }

  /** Tells a group's queue watchers of a change. */
  async publishQueue(
    tenantId: TenantId,
    session: SupportSessionRecord,
    change: QueueChange['change'],
    groupId = session.groupId,
  ): Promise<void> {
    if (!groupId) return;
    const message: QueueChange = {
      t: 'queue',
      groupId,
      change,
      session: {
        ref: session.ref,
        ...(session.endUserName ? { endUserName: session.endUserName } : {}),
        state: session.state,
        createdAt: session.createdAt.toISOString(),
      },
    };
    await this.publish(queueTopic(tenantId, groupId), message);
  }

  /** The database holds the truth; a bus failure is logged loudly but undoes nothing. */
  private async publish(topic: string, message: QueueChange | SessionControlMessage) {
    try {
      await this.deps.bus.publish(topic, JSON.parse(JSON.stringify(message)));
    } catch (error) {
      this.deps.logger.error({ err: error, kind: message.t }, 'session bus publish failed');
    }
  }
}

/** Whether the session sits in a group's queue: waiting for a technician to pick it up. */
export function queued(session: SupportSessionRecord): boolean {
  return (
    session.ownerMemberId === undefined &&
    session.groupId !== undefined &&
    (session.state === 'waiting' || session.state === 'transferred')
  );
}

function revokeAll(
  consent: Readonly<Record<string, ConsentDecision>>,
): Record<string, ConsentDecision> {
  return Object.fromEntries(Object.keys(consent).map((permission) => [permission, 'revoked']));
}
