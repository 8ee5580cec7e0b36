import { isIPv4, isIPv6 } from 'node:net';

/** Hextets of the IPv6 prefix that one subscriber is commonly given (a /64). */
const PREFIX_HEXTETS = 4;
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * What a rate limit counts against for a client address: an IPv4 address as it is (also when
 * it comes IPv4-mapped), an IPv6 address by its /64, since one subscriber holds a whole /64 and
 * could otherwise take a fresh address for every attempt. Anything else is returned unchanged.
 */
export function rateLimitSubject(address: string): string {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  const bare = address.split('%')[0]!;
  if (isIPv4(address) || !isIPv6(bare)) return address;
  return `${prefixOf(bare).join(':')}::/64`;
}

/** The first hextets of a valid IPv6 address, without leading zeros. */
function prefixOf(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // A dotted IPv4 tail stands for two hextets; it lies past the prefix, so its value is moot.
  const width = (parts: string[]) => parts.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array(8 - width(left) - width(right)).fill('0');
  return [...left, ...zeros, ...right]
    .slice(0, PREFIX_HEXTETS)
    .map((hextet) => parseInt(hextet, 16).toString(16));
}
