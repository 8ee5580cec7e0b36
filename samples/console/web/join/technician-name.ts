import type { SessionPeer } from '../../../../sdk/session/browser.js';

/**
 * A technician's name from their verified certificate (the display name the engine vouches
 * for), or a neutral word when the certificate carries none. Always rendered as text.
 */
export function technicianName(peer: SessionPeer): string {
  return peer.certificate.name ?? 'Your technician';
}

/** The six SAS digits in two groups of three, easier to read aloud. */
export function groupedSas(sas: string): string {
  return `${sas.slice(0, 3)} ${sas.slice(3)}`;
}
