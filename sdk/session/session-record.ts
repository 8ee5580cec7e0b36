import { concatBytes } from '../crypto/bytes.js';

/** Channel names: 1-255 printable ASCII characters without spaces. */
export const CHANNEL_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The plaintext of one frame (protocol.md, "Records"). */
export type SessionRecord =
  | {
      readonly kind: 'data';
      readonly seq: number;
      readonly channel: string;
      readonly body: Uint8Array;
    }
  | { readonly kind: 'ack'; readonly seq: number }
  | { readonly kind: 'resume'; readonly seq: number };

const DATA = 0x01;
const ACK = 0x02;
const RESUME = 0x03;
const MAX_SEQ = 0xffffffff;

/** `0x01 DATA ‖ seq ‖ len ‖ channel ‖ body`; the caller checks the channel name. */
export function encodeData(seq: number, channel: string, body: Uint8Array): Uint8Array {
  return concatBytes(encodeDataHeader(seq, channel), body);
}

/** `0x01 DATA ‖ seq ‖ len ‖ channel`, what goes before the body of a DATA record. */
export function encodeDataHeader(seq: number, channel: string): Uint8Array {
  const out = new Uint8Array(6 + channel.length);
  out[0] = DATA;
  new DataView(out.buffer).setUint32(1, seq, false);
  out[5] = channel.length;
  for (let i = 0; i < channel.length; i++) out[6 + i] = channel.charCodeAt(i);
  return out;
}

/** `0x02 ACK ‖ seq` or `0x03 RESUME ‖ seq`. */
export function encodeControl(kind: 'ack' | 'resume', seq: number): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = kind === 'ack' ? ACK : RESUME;
  new DataView(out.buffer).setUint32(1, seq, false);
  return out;
}

/** The record in `plaintext`, or `undefined` when it is not a well-formed one. */
export function decodeRecord(plaintext: Uint8Array): SessionRecord | undefined {
  if (plaintext.length < 5) return undefined;
  const seq = new DataView(plaintext.buffer, plaintext.byteOffset, 5).getUint32(1, false);
  const type = plaintext[0];
  if (type === ACK || type === RESUME) {
    if (plaintext.length !== 5) return undefined;
    return { kind: type === ACK ? 'ack' : 'resume', seq };
  }
  if (type !== DATA || seq === 0 || plaintext.length < 6) return undefined;

  const length = plaintext[5]!;
  if (plaintext.length < 6 + length) return undefined;
  const channel = String.fromCharCode(...plaintext.subarray(6, 6 + length));
  if (!CHANNEL_PATTERN.test(channel)) return undefined;
  return { kind: 'data', seq, channel, body: plaintext.subarray(6 + length) };
}

/** Whether `seq` still fits the 4-byte field. */
export function seqFits(seq: number): boolean {
  return Number.isInteger(seq) && seq >= 1 && seq <= MAX_SEQ;
}
