import type { Bus } from '../contracts/bus-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import { SessionRoom, type RoomMember } from './session-room.js';

/** This node's session rooms, one per session with a connection here, made and dropped lazily. */
export class SessionRooms {
  private readonly rooms = new Map<string, SessionRoom>();

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  /** Puts `member` in the session's room at once; await `room.opened` before relying on it. */
  enter(sessionId: string, member: RoomMember): SessionRoom {
    let room = this.rooms.get(sessionId);
    if (!room) {
      room = new SessionRoom(sessionId, this.bus, this.logger, (empty) => this.drop(empty));
      this.rooms.set(sessionId, room);
    }
    room.members.add(member);
    return room;
  }

  /** How many sessions have a connection here. */
  get size(): number {
    return this.rooms.size;
  }

  /** Drops every room's subscriptions (the gateway is stopping). */
  async dispose(): Promise<void> {
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    await Promise.all(rooms.map((room) => room.dispose()));
  }

  private drop(room: SessionRoom): void {
    if (this.rooms.get(room.sessionId) !== room) return;
    this.rooms.delete(room.sessionId);
    room.dispose().catch((error: unknown) => {
      this.logger.error({ err: error }, 'dropping a session room failed');
    });
  }
}
