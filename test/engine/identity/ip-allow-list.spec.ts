import { expect } from 'chai';
import { isTetherError, type TetherError } from '../../../engine/errors.js';
import { IpAllowList, normaliseAddress } from '../../../engine/identity/ip-allow-list.js';

const FIELD = 'security.adminAllowList';

function list(...entries: string[]): IpAllowList {
  return IpAllowList.parse(entries, FIELD);
}

function refusal(entries: readonly unknown[]): TetherError {
  try {
    IpAllowList.parse(entries as string[], FIELD);
  } catch (error) {
    expect(isTetherError(error, 'TETHER_E_VALIDATION'), String(error)).to.equal(true);
    return error as TetherError;
  }
  throw new Error(`expected ${JSON.stringify(entries)} to be refused`);
}

function expectAllowed(allowList: IpAllowList, addresses: readonly string[], allowed: boolean) {
  for (const address of addresses) {
    expect(allowList.allows(address), address).to.equal(allowed);
  }
}

const GARBAGE = [
  '',
  ' ',
  'host.example',
  'localhost',
  '203.0.113',
  '203.0.113.7.1',
  '203.0.113.256',
  ' 203.0.113.7',
  '203.0.113.7 ',
  '203.0.113.7\n',
  '203.0.113.7:443',
  '203.0.113.0/24',
  '[::1]',
  '::1/128',
  ':::1',
  '1::2::3',
  '2001:db8::00001',
  'fe80::1%eth0',
  'fe80::1%25eth0',
  '::ffff:203.0.113.7%1',
  'unknown',
];

/** Forms that ipaddr.js alone would read as an address in 127.0.0.0/8 or 10.0.0.0/8. */
const SHORTHANDS = ['127.1', '0x7f.0.0.1', '0x7f000001', '2130706433', '010.0.0.1', '10.0.0.01'];

describe('IpAllowList', () => {
  it('restricts nothing when empty, yet never lets through text that is not an address', () => {
    const empty = list();
    expect(empty.isEmpty).to.equal(true);
    expect(empty.toJSON()).to.deep.equal([]);
    expectAllowed(empty, ['203.0.113.7', '::1', '::ffff:10.0.0.1', '0.0.0.0'], true);
    expectAllowed(empty, [...GARBAGE, ...SHORTHANDS], false);
    expect(list('::1').isEmpty).to.equal(false);
  });

  it('matches one IPv4 address exactly', () => {
    const allowList = list('203.0.113.7');
    expectAllowed(allowList, ['203.0.113.7', '::ffff:203.0.113.7'], true);
    expectAllowed(allowList, ['203.0.113.6', '203.0.113.8', '203.0.112.7', '::203.0.113.7'], false);
  });

  it('includes the first and last address of an IPv4 range and not one past either end', () => {
    const allowList = list('198.51.100.0/24', '10.0.0.0/8', '192.0.2.4/30');
    const inside = ['198.51.100.0', '198.51.100.255', '10.0.0.0', '10.255.255.255'];
    expectAllowed(allowList, [...inside, '192.0.2.4', '192.0.2.7'], true);
    const outside = ['198.51.99.255', '198.51.101.0', '9.255.255.255', '11.0.0.0'];
    expectAllowed(allowList, [...outside, '192.0.2.3', '192.0.2.8'], false);
  });

  it('includes the first and last address of an IPv6 range and not one past either end', () => {
    const allowList = list('2001:db8::/32');
    const inside = ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:DB8:1::1'];
    expectAllowed(allowList, inside, true);
    const outside = ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::', '2001:d00::'];
    expectAllowed(allowList, outside, false);
  });

  it('matches ::1 and nothing near it, nor the IPv4 loopback', () => {
    const allowList = list('::1');
    expectAllowed(allowList, ['::1', '0:0:0:0:0:0:0:1'], true);
    expectAllowed(allowList, ['::2', '::', '127.0.0.1', '::ffff:127.0.0.1', '::1%lo'], false);
  });

  it('matches an IPv4-mapped IPv6 address against IPv4 entries, in every spelling', () => {
    const allowList = list('203.0.113.0/24');
    const mapped = ['::ffff:203.0.113.7', '::FFFF:203.0.113.7', '::ffff:cb00:7107'];
    expectAllowed(allowList, [...mapped, '0:0:0:0:0:ffff:203.0.113.255'], true);
    expectAllowed(allowList, ['::ffff:203.0.114.0', '::ffff:0:203.0.113.7'], false);
  });

  it('does not read the IPv4-compatible form ::a.b.c.d as an IPv4-mapped address', () => {
    expectAllowed(list('203.0.113.0/24'), ['::203.0.113.7', '::cb00:7107'], false);
    expectAllowed(list('::203.0.113.7'), ['::cb00:7107'], true);
    expectAllowed(list('::203.0.113.7'), ['203.0.113.7', '::ffff:203.0.113.7'], false);
    expect(list('::203.0.113.7').toJSON()).to.deep.equal(['::cb00:7107']);
  });

  it('reads an IPv4-mapped entry as the IPv4 address or range it means', () => {
    const allowList = list('::ffff:203.0.113.0/120', '::ffff:198.51.100.9');
    expect(allowList.toJSON()).to.deep.equal(['203.0.113.0/24', '198.51.100.9']);
    expectAllowed(allowList, ['203.0.113.200', '198.51.100.9', '::ffff:198.51.100.9'], true);
    expectAllowed(allowList, ['203.0.114.1', '198.51.100.8'], false);
  });

  it('lets 0.0.0.0/0 through every IPv4 address but no IPv6 one, and ::/0 the other way', () => {
    const anyV4 = list('0.0.0.0/0');
    expectAllowed(anyV4, ['0.0.0.0', '255.255.255.255', '192.0.2.1', '::ffff:192.0.2.1'], true);
    expectAllowed(anyV4, ['::1', '2001:db8::1', '::', '::192.0.2.1', ...GARBAGE], false);
    const anyV6 = list('::/0');
    expectAllowed(anyV6, ['::', '::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], true);
    expectAllowed(anyV6, ['192.0.2.1', '::ffff:192.0.2.1', ...GARBAGE], false);
  });

  it('never lets through zone ids, shorthands, ranges or other garbage', () => {
    const everything = list('0.0.0.0/0', '::/0');
    expectAllowed(everything, [...GARBAGE, ...SHORTHANDS], false);
    const loopbacks = list('127.0.0.0/8', '10.0.0.0/8', 'fe80::/10');
    expectAllowed(loopbacks, [...GARBAGE, ...SHORTHANDS], false);
    expectAllowed(loopbacks, [undefined, null, 42] as unknown as string[], false);
  });

  it('refuses a bad entry, naming its index and quoting it', () => {
    const bad = [
      '300.1.1.1',
      '10.0.0.0/33',
      'fe80::/129',
      'host.example',
      '',
      '10.0.0.0/',
      '/8',
      '10.0.0.0/8/8',
      '10.0.0.0/-1',
      '10.0.0.0/ 8',
      '10.0.0.0/0x8',
      'fe80::1%eth0',
      'fe80::/10%eth0',
      ...SHORTHANDS,
    ];
    for (const entry of bad) {
      const error = refusal(['203.0.113.7', '::1', entry]);
      expect(error.message).to.equal(
        `${FIELD}.2: ${JSON.stringify(entry)} is not an IP address or CIDR range`,
      );
      expect(error.details).to.deep.include({
        issues: [{ field: `${FIELD}.2`, message: error.message.slice(FIELD.length + 4) }],
      });
    }
  });

  it('refuses a range with bits set past its prefix, saying which range it would be', () => {
    expect(refusal(['10.0.0.5/8']).message).to.equal(
      `${FIELD}.0: "10.0.0.5/8" has bits set past /8; the range is 10.0.0.0/8`,
    );
    expect(refusal(['::1', '2001:db8::1/32']).message).to.match(/\.1: .* is 2001:db8::\/32$/);
  });

  it('refuses an entry that is not a string and shortens a long one', () => {
    expect(refusal([42]).message).to.equal(`${FIELD}.0: expected a string`);
    const long = refusal(['x'.repeat(500)]).message;
    expect(long.length).to.be.below(150);
    expect(long).to.include('…');
  });

  it('gives its entries back normalised', () => {
    const allowList = list(
      '2001:DB8::1',
      '2001:0db8:0000:0000:0000:0000:0000:0002',
      '2001:DB8::/32',
      ' 198.51.100.0/24 ',
      '203.0.113.7/32',
      '2001:db8::3/128',
      '10.0.0.0/08',
      '0.0.0.0/0',
      '::/0',
    );
    expect(allowList.toJSON()).to.deep.equal([
      '2001:db8::1',
      '2001:db8::2',
      '2001:db8::/32',
      '198.51.100.0/24',
      '203.0.113.7',
      '2001:db8::3',
      '10.0.0.0/8',
      '0.0.0.0/0',
      '::/0',
    ]);
    expect(JSON.stringify({ list: list('::1') })).to.equal('{"list":["::1"]}');
  });

  it('reads its own output back to the same list', () => {
    const once = list('2001:DB8::/48', '::ffff:203.0.113.0/120', '192.0.2.1/32').toJSON();
    expect(IpAllowList.parse(once, FIELD).toJSON()).to.deep.equal(once);
  });

  it('gives a copy of its entries, so changing it changes nothing', () => {
    const allowList = list('203.0.113.7');
    allowList.toJSON().push('0.0.0.0/0');
    expect(allowList.toJSON()).to.deep.equal(['203.0.113.7']);
    expect(allowList.allows('192.0.2.1')).to.equal(false);
  });
});

describe('normaliseAddress', () => {
  it('gives IPv4 as a dotted quad, mapped IPv6 as IPv4 and IPv6 in RFC 5952 form', () => {
    expect(normaliseAddress('203.0.113.7')).to.equal('203.0.113.7');
    expect(normaliseAddress('::ffff:127.0.0.1')).to.equal('127.0.0.1');
    expect(normaliseAddress('::FFFF:7F00:1')).to.equal('127.0.0.1');
    expect(normaliseAddress('2001:0DB8:0:0:1:0:0:1')).to.equal('2001:db8::1:0:0:1');
    expect(normaliseAddress('::203.0.113.7')).to.equal('::cb00:7107');
  });

  it('gives nothing for text that is not a plain address', () => {
    for (const text of [...GARBAGE, ...SHORTHANDS]) {
      expect(normaliseAddress(text), text).to.equal(undefined);
    }
  });
});
