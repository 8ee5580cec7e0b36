import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { TetherError } from '../errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One entry of a list: an address and how many leading bits of it must match. */
interface Range {
  readonly address: Address;
  readonly bits: number;
}

/** The longest entry text quoted back in an error message. */
const QUOTE_LIMIT = 64;

/**
 * Parses one address strictly: a four-part decimal IPv4 address or an IPv6 address without a
 * zone id, with an IPv4-mapped IPv6 address turned into its IPv4 address. Node's own parser
 * gates the text first, so the shorthand forms ipaddr.js also reads (`127.1`, `0x7f.0.0.1`,
 * `010.0.0.1`, a bare integer) are refused instead of silently meaning another address.
 */
function parseAddress(text: string): Address | undefined {
  const parsed = parseLiteral(text);
  return parsed === undefined ? undefined : unmapped(parsed);
}

/** Like {@link parseAddress} but keeps an IPv4-mapped IPv6 address as IPv6. */
function parseLiteral(text: string): Address | undefined {
  if (typeof text !== 'string') return undefined;
  const family = isIP(text);
  if (family === 4) return ipaddr.IPv4.parse(text);
  if (family !== 6 || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  return text.includes('.') ? parseDottedIPv6(text) : ipaddr.IPv6.parse(text);
}

/**
 * Works around ipaddr.js 2.5, which reads `::1.2.3.4` (the deprecated IPv4-compatible form) as
 * `::ffff:1.2.3.4`, so it would match IPv4 ranges: the hex groups and the dotted quad are parsed
 * apart. It can go when ipaddr.js parses that form as `::102:304`.
 */
function parseDottedIPv6(text: string): ipaddr.IPv6 {
  const cut = text.lastIndexOf(':') + 1;
  const groups = ipaddr.IPv6.parse(`${text.slice(0, cut)}0:0`).parts.slice(0, 6);
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text.slice(cut)).octets;
  return new ipaddr.IPv6([...groups, a * 256 + b, c * 256 + d]);
}

function unmapped(address: Address): Address {
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) {
    return address.toIPv4Address();
  }
  return address;
}

function fullBits(address: Address): number {
  return address instanceof ipaddr.IPv4 ? 32 : 128;
}

function addressText(address: Address): string {
  return address instanceof ipaddr.IPv6 ? address.toRFC5952String() : address.toString();
}

/**
 * The canonical text of an address: dotted quad for IPv4 (also for an IPv4-mapped IPv6
 * address), RFC 5952 for IPv6 (lower case, shortest form). Undefined when the text is not a
 * plain address: a range, a host name, a zone id, a port, surrounding spaces or a shorthand.
 */
export function normaliseAddress(text: string): string | undefined {
  const address = parseAddress(text);
  return address === undefined ? undefined : addressText(address);
}

/** The address with every bit past `bits` cleared. */
function networkOf(address: Address, bits: number): Address {
  const bytes = address.toByteArray().map((byte, index) => byte & maskByte(bits - index * 8));
  return ipaddr.fromByteArray(bytes);
}

function maskByte(bitsLeft: number): number {
  if (bitsLeft >= 8) return 0xff;
  return bitsLeft <= 0 ? 0 : (0xff << (8 - bitsLeft)) & 0xff;
}

/** An IPv4-mapped range such as `::ffff:203.0.113.0/120` is kept as the IPv4 range it means. */
function unmappedRange(range: Range): Range {
  const { address, bits } = range;
  if (!(address instanceof ipaddr.IPv6) || !address.isIPv4MappedAddress() || bits < 96) {
    return range;
  }
  return { address: address.toIPv4Address(), bits: bits - 96 };
}

/** Reads one entry, or says in plain words what is wrong with it. */
function parseRange(entry: string): Range | string {
  const [text = '', bitsText, extra] = entry.trim().split('/');
  const address = parseLiteral(text);
  const unknown = `${quote(entry)} is not an IP address or CIDR range`;
  if (address === undefined || extra !== undefined) return unknown;
  if (bitsText === undefined) return unmappedRange({ address, bits: fullBits(address) });

  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!(bits <= fullBits(address))) return unknown;
  const network = networkOf(address, bits);
  if (addressText(network) !== addressText(address)) {
    const range = `${addressText(network)}/${bits}`;
    return `${quote(entry)} has bits set past /${bits}; the range is ${range}`;
  }
  return unmappedRange({ address, bits });
}

function quote(entry: string): string {
  const short = entry.length > QUOTE_LIMIT ? `${entry.slice(0, QUOTE_LIMIT)}…` : entry;
  return JSON.stringify(short);
}

function invalidEntry(field: string, problem: string): TetherError {
  return new TetherError('TETHER_E_VALIDATION', `${field}: ${problem}`, {
    details: { issues: [{ field, message: problem }] },
  });
}

function formatRange({ address, bits }: Range): string {
  const text = addressText(address);
  return bits === fullBits(address) ? text : `${text}/${bits}`;
}

/**
 * A list of IPv4 and IPv6 addresses and CIDR ranges that a client address must fall in. The
 * empty list restricts nothing. Matching is by family: an IPv4-mapped IPv6 address
 * (`::ffff:203.0.113.7`) is matched as the IPv4 address it carries, so `0.0.0.0/0` covers every
 * IPv4 client however the socket reports it and `::/0` covers IPv6 clients only. Other ways of
 * carrying IPv4 inside IPv6 (NAT64, 6to4, Teredo) are plain IPv6 here.
 */
export class IpAllowList {
  private constructor(private readonly ranges: readonly Range[]) {}

  /**
   * Reads entries such as `203.0.113.7`, `198.51.100.0/24`, `2001:db8::/32` or `::1`; spaces
   * around an entry are ignored. An entry that is not an address or range, or a range with bits
   * set past its prefix (`10.0.0.5/8`, which may have meant `/32`), throws TETHER_E_VALIDATION
   * naming `${field}.${index}` and quoting the entry.
   */
  static parse(entries: readonly string[], field: string): IpAllowList {
    const ranges = entries.map((entry, index) => {
      const path = `${field}.${index}`;
      if (typeof entry !== 'string') throw invalidEntry(path, 'expected a string');
      const range = parseRange(entry);
      if (typeof range === 'string') throw invalidEntry(path, range);
      return range;
    });
    return new IpAllowList(ranges);
  }

  /** True when the list has no entry, which means no restriction. */
  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /**
   * Whether `address` may pass: an empty list lets any address through; otherwise it must fall
   * in one entry. Text that is not a plain address (see {@link normaliseAddress}) never passes,
   * not even an empty list.
   */
  allows(address: string): boolean {
    const parsed = parseAddress(address);
    if (parsed === undefined) return false;
    if (this.isEmpty) return true;
    return this.ranges.some(
      (range) => range.address.kind() === parsed.kind() && parsed.match(range.address, range.bits),
    );
  }

  /** The entries in normalised form: lower-case shortest IPv6, no `/32` or `/128` suffix. */
  toJSON(): string[] {
    return this.ranges.map(formatRange);
  }
}
