import type { Bus } from '../../../engine/contracts/bus-contract.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { TetherError } from '../../../engine/errors.js';
import {
  sessionControlTopic,
  type Admission,
  type AdmissionRequest,
  type ConsentReportEvent,
  type QueueWatch,
  type SessionControlMessage,
  type SessionGatewayPort,
  type SessionState,
} from '../../../engine/sessions/session-port.js';

/** One call the gateway made, as the fixture records it. */
export interface PortCall {
  readonly what: 'connected' | 'disconnected' | 'seen' | 'end' | 'report' | 'admit';
  readonly participantId?: string;
  readonly detail?: unknown;
}

interface FixtureParticipant {
  readonly participantId: string;
  readonly role: 'technician' | 'end-user';
  /** The end user's secret or the technician's sign-in token. */
  readonly secret: string;
  readonly permissions?: readonly string[];
}

interface FixtureSession {
  readonly sessionId: string;
  readonly ref: string;
  state: SessionState;
  readonly participants: FixtureParticipant[];
}

export const FIXTURE_TENANT = 'tenant-1' as TenantId;

/**
 * A small, real SessionGatewayPort held in memory, for the gateway's tests (the sessions service
 * is another part). It admits only the participants it was told about, publishes control
 * messages on the bus as the real service does, and records every call.
 */
export class MemorySessionPort implements SessionGatewayPort {
  readonly calls: PortCall[] = [];
  /** Numbers connections as the storage does: each admission gets the next. */
  private connections = 0;
  private readonly numbered = new Map<string, number>();
  readonly bytes = new Map<string, number>();
  private readonly sessions = new Map<string, FixtureSession>();
  private readonly watchers = new Map<string, readonly string[]>();

  constructor(private readonly bus: Bus) {}

  addSession(sessionId: string, state: SessionState = 'waiting'): void {
    this.sessions.set(sessionId, { sessionId, ref: `ref-${sessionId}`, state, participants: [] });
  }

  addEndUser(sessionId: string, participantId: string, secret: string): void {
    this.session(sessionId).participants.push({ participantId, role: 'end-user', secret });
  }

  addTechnician(
    sessionId: string,
    participantId: string,
    token: string,
    permissions: readonly string[] = ['chat'],
  ): void {
    const participant = { participantId, role: 'technician' as const, secret: token, permissions };
    this.session(sessionId).participants.push(participant);
  }

  addWatcher(token: string, groupIds: readonly string[]): void {
    this.watchers.set(token, groupIds);
  }

  /** The credential `secret` stops working, as a sign-out or a disabled member does. */
  revoke(secret: string): void {
    for (const { participants } of this.sessions.values()) {
      const index = participants.findIndex((participant) => participant.secret === secret);
      if (index !== -1) participants.splice(index, 1);
    }
    this.watchers.delete(secret);
  }

  /** Publishes a control message for the session, as the sessions service would. */
  async control(sessionId: string, message: SessionControlMessage): Promise<void> {
    if (message.t === 'state') this.session(sessionId).state = message.state;
    await this.bus.publish(sessionControlTopic(sessionId), message);
  }

  count(what: PortCall['what'], participantId?: string): number {
    return this.calls.filter(
      (call) =>
        call.what === what && (participantId === undefined || call.participantId === participantId),
    ).length;
  }

  /** The connection number of the participant's latest admission, waited for briefly. */
  async lastAdmission(participantId: string): Promise<number> {
    for (let tries = 0; tries < 100; tries += 1) {
      const number = this.numbered.get(participantId);
      if (number !== undefined) return number;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${participantId} was not admitted`);
  }

  async admit(request: AdmissionRequest): Promise<Admission> {
    this.calls.push({ what: 'admit', detail: request.clientIp });
    const session = this.sessions.get(request.sessionId);
    const participant = session?.participants.find((candidate) => matches(candidate, request));
    if (!session || !participant || session.state === 'closed') {
      throw new TetherError('TETHER_E_NOT_ADMITTED');
    }
    const technician = participant.role === 'technician';
    return {
      tenantId: FIXTURE_TENANT,
      sessionId: session.sessionId,
      sessionRef: session.ref,
      participantId: participant.participantId,
      role: participant.role,
      state: session.state,
      connection: this.number(participant.participantId),
      ...(technician
        ? {
            memberId: 'member-1',
            signInId: participant.secret,
            permissions: participant.permissions,
            policy: { chatText: true },
          }
        : {}),
    };
  }

  private number(participantId: string): number {
    this.connections += 1;
    this.numbered.set(participantId, this.connections);
    return this.connections;
  }

  async connected(admission: Admission): Promise<void> {
    this.record('connected', admission);
    const session = this.session(admission.sessionId);
    if (admission.role === 'end-user' && session.state === 'waiting') {
      await this.control(session.sessionId, { t: 'state', state: 'active' });
    }
  }

  async disconnected(admission: Admission): Promise<void> {
    this.record('disconnected', admission);
  }

  async seen(admission: Admission): Promise<void> {
    this.record('seen', admission);
  }

  async end(admission: Admission): Promise<void> {
    this.record('end', admission);
    const reason = `ended by ${admission.role}`;
    await this.control(admission.sessionId, { t: 'state', state: 'closed', reason });
  }

  async report(admission: Admission, event: ConsentReportEvent, permission: string) {
    this.record('report', admission, { event, permission });
  }

  countBytes(admission: Admission, bytes: number): void {
    const id = admission.participantId;
    this.bytes.set(id, (this.bytes.get(id) ?? 0) + bytes);
  }

  async watchQueues(token: string): Promise<QueueWatch> {
    const groupIds = this.watchers.get(token);
    if (!groupIds) throw new TetherError('TETHER_E_NOT_ADMITTED');
    return { tenantId: FIXTURE_TENANT, memberId: 'member-1', signInId: token, groupIds };
  }

  /** The fixture's sign-in is the technician's token: it holds until {@link revoke}. */
  async recheckAdmission(admission: Admission): Promise<Admission> {
    const session = this.sessions.get(admission.sessionId);
    const still = session?.participants.some(
      (p) => p.participantId === admission.participantId && p.secret === admission.signInId,
    );
    if (!session || !still || session.state === 'closed') {
      throw new TetherError('TETHER_E_NOT_ADMITTED');
    }
    return admission;
  }

  async recheckWatch(watch: QueueWatch): Promise<QueueWatch> {
    if (!this.watchers.has(watch.signInId)) throw new TetherError('TETHER_E_NOT_ADMITTED');
    return watch;
  }

  private record(what: PortCall['what'], admission: Admission, detail?: unknown): void {
    this.calls.push({ what, participantId: admission.participantId, detail });
  }

  private session(sessionId: string): FixtureSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`fixture: no session ${sessionId}`);
    return session;
  }
}

function matches(participant: FixtureParticipant, request: AdmissionRequest): boolean {
  const { credentials } = request;
  if (credentials.kind === 'technician') {
    return participant.role === 'technician' && participant.secret === credentials.token;
  }
  return (
    participant.role === 'end-user' &&
    participant.participantId === credentials.participantId &&
    participant.secret === credentials.secret
  );
}
