import { PARTICIPANT_ID_PATTERN } from '../crypto/participant-certificate.js';

const ENVELOPE_VERSION = 0x01;

/** One relayed binary message: the other participant's id and the opaque frame. */
export interface GatewayEnvelope {
  readonly participantId: string;
  readonly frame: Uint8Array;
}

/** `0x01 ‖ len ‖ participantId (ASCII) ‖ frame`, the gateway's binary message layout. */
export function encodeEnvelope(participantId: string, frame: Uint8Array): Uint8Array {
  const id = Uint8Array.from(participantId, (char) => char.charCodeAt(0));
  const out = new Uint8Array(2 + id.length + frame.length);
  out[0] = ENVELOPE_VERSION;
  out[1] = id.length;
  out.set(id, 2);
  out.set(frame, 2 + id.length);
  return out;
}

/** The parts of a binary gateway message, or `undefined` when it is not a well-formed one. */
export function decodeEnvelope(message: Uint8Array): GatewayEnvelope | undefined {
  if (message.length < 2 || message[0] !== ENVELOPE_VERSION) return undefined;
  const length = message[1]!;
  if (message.length < 2 + length) return undefined;

  const participantId = String.fromCharCode(...message.subarray(2, 2 + length));
  if (!PARTICIPANT_ID_PATTERN.test(participantId)) return undefined;
  return { participantId, frame: message.subarray(2 + length) };
}
