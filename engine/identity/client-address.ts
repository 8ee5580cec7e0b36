import { type IpAllowList, normaliseAddress } from './ip-allow-list.js';

/**
 * The address of the client behind a request, as far as it can be trusted.
 *
 * It is the direct peer (the socket's remote address) unless the peer is one of
 * `trustedProxies`. Then `forwardedFor` (X-Forwarded-For, several headers joined with commas as
 * Node joins them) is read from the right: each trusted proxy appended the address that
 * connected to it, so entries that are themselves trusted proxies are skipped and the first
 * untrusted one is the client. Entries left of it were written by the client and are never read,
 * so a client cannot choose its address by prepending entries. When every entry is a trusted
 * proxy the leftmost is the client (an internal host).
 *
 * An entry that is not a plain address (a host name, `unknown`, a port, an empty entry) stops
 * the walk, and the peer is returned: it is the one address seen on the wire rather than
 * reported. An empty `trustedProxies` means the header is ignored entirely.
 *
 * Returned addresses are normalised (IPv4-mapped IPv6 as IPv4, IPv6 in RFC 5952 form); a peer
 * that is not a plain address, such as one with a zone id, is returned as it came.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trustedProxies: IpAllowList,
): string {
  const direct = normaliseAddress(peer) ?? peer;
  if (trustedProxies.isEmpty || forwardedFor === undefined) return direct;
  if (!trustedProxies.allows(direct)) return direct;
  return walkForwardedFor(forwardedFor.split(','), direct, trustedProxies);
}

/** Reads the hops right to left; `peer` is the trusted proxy that sent the header. */
function walkForwardedFor(hops: readonly string[], peer: string, trusted: IpAllowList): string {
  let furthest = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normaliseAddress((hops[index] ?? '').trim());
    if (hop === undefined) return peer;
    if (!trusted.allows(hop)) return hop;
    furthest = hop;
  }
  return furthest;
}
