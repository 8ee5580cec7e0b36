/** The first byte of a relay envelope, both directions. */
export const ENVELOPE_VERSION = 0x01;

/** Bytes allowed in a participant id (`[A-Za-z0-9._:-]`), as a lookup table. */
const ID_BYTES = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-') {
  ID_BYTES[char.charCodeAt(0)] = 1;
}

/**
 * The recipient named by a client's envelope `0x01 ‖ len ‖ to ‖ frame`, or undefined when the
 * envelope is malformed: another version, `len` outside 1..128, a `to` that is not a valid
 * participant id, or no frame bytes after it. When `to` is `previous` (a sender writes to the
 * same peer frame after frame), that string is returned rather than a new one.
 */
export function readRecipient(envelope: Buffer, previous = ''): string | undefined {
  if (envelope.length < 4 || envelope[0] !== ENVELOPE_VERSION) return undefined;
  const length = envelope[1]!;
  if (length < 1 || length > 128 || envelope.length <= 2 + length) return undefined;
  let same = previous.length === length;
  for (let i = 2; i < 2 + length; i++) {
    if (ID_BYTES[envelope[i]!] !== 1) return undefined;
    same &&= envelope[i] === previous.charCodeAt(i - 2);
  }
  return same ? previous : envelope.toString('latin1', 2, 2 + length);
}

/** The header `0x01 ‖ len ‖ from` the gateway puts before a frame it delivers. */
export function envelopeHeader(from: string): Buffer {
  const id = Buffer.from(from, 'latin1');
  const header = Buffer.allocUnsafe(2 + id.length);
  header[0] = ENVELOPE_VERSION;
  header[1] = id.length;
  id.copy(header, 2);
  return header;
}

/**
 * `header ‖ envelope[offset..]`, the envelope as delivered. When the header fits in the place of
 * the client's (the sender's id is no longer than the recipient's), it is written over the end
 * of that place and the result is a view of `envelope`: no copy of the frame. Otherwise it is one
 * new buffer, the single copy a relayed frame costs. `envelope` is the caller's to change.
 */
export function rewrap(header: Buffer, envelope: Buffer, offset: number): Buffer {
  const start = offset - header.length;
  if (start >= 0) {
    header.copy(envelope, start);
    // Ids of one length (docs/protocol.md) make the usual case: no view to make either.
    return start === 0 ? envelope : envelope.subarray(start);
  }
  const out = Buffer.allocUnsafe(header.length + envelope.length - offset);
  header.copy(out, 0);
  envelope.copy(out, header.length, offset);
  return out;
}
