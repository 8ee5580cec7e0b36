import type { WebSocket } from 'ws';
import type { Admission } from '../sessions/session-port.js';
import type { GatewayContext } from './gateway-context.js';
import { RecipientFlow } from './recipient-flow.js';
import { envelopeHeader, readRecipient, rewrap } from './relay-envelope.js';
import { SenderHold } from './sender-hold.js';
import type { SessionRoom } from './session-room.js';

/**
 * The per-frame path of one admitted connection, both ways: frames its participant sends are
 * checked, counted and handed to the recipient with the sender's id in front, and frames for it
 * are written through a {@link RecipientFlow}. The connection makes it on its first frame, so an
 * idle connection holds none of this; the flow and the sender hold wait for their first use too.
 */
export class FrameRelay {
  /** `0x01 ‖ len ‖ my id`, put before every frame this participant sends. */
  private readonly header: Buffer;
  /** The recipient of the last frame relayed: the next one is most likely for it too. */
  private recipient: string | undefined;
  private flow: RecipientFlow | undefined;
  private senderHold: SenderHold | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly admission: Admission,
    private readonly room: SessionRoom,
    private readonly context: GatewayContext,
  ) {
    this.header = envelopeHeader(admission.participantId);
  }

  /** Relays a frame this participant sent; false when its envelope is malformed. */
  forward(envelope: Buffer): boolean {
    const to = readRecipient(envelope, this.recipient);
    if (to === undefined || to === this.admission.participantId) return false;
    this.recipient = to;
    const offset = 2 + envelope[1]!;
    const bytes = envelope.length - offset;
    const { metrics } = this.context;
    this.context.port().countBytes(this.admission, bytes);
    metrics.countRelayedBytes(bytes);
    const room = this.room.deliver(to, rewrap(this.header, envelope, offset));
    if (room) (this.senderHold ??= new SenderHold(this.ws, metrics.gatewaySenderHolds)).hold(room);
    return true;
  }

  /** Writes (or drops) a frame for this participant; a promise asks its sender to wait. */
  deliver(message: Uint8Array): Promise<void> | undefined {
    const dropped = this.context.metrics.gatewayDroppedFrames;
    return (this.flow ??= new RecipientFlow(this.ws, dropped)).send(message);
  }
}
