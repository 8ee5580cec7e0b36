import { expect } from 'chai';
import { clientAddress } from '../../../engine/identity/client-address.js';
import { IpAllowList } from '../../../engine/identity/ip-allow-list.js';

const FIELD = 'http.trustedProxies';
const NONE = IpAllowList.parse([], FIELD);
/** The proxies in front of the engine: a private range, one IPv6 range and the loopback. */
const PROXIES = IpAllowList.parse(['10.0.0.0/8', '2001:db8:aa::/48', '127.0.0.1'], FIELD);
const CLIENT = '203.0.113.50';
const PROXY = '10.0.0.2';

describe('clientAddress', () => {
  it('is the peer when there is no header', () => {
    expect(clientAddress(CLIENT, undefined, PROXIES)).to.equal(CLIENT);
    expect(clientAddress(PROXY, undefined, PROXIES)).to.equal(PROXY);
  });

  it('ignores the header entirely when no proxy is trusted', () => {
    for (const peer of [CLIENT, PROXY, '127.0.0.1', '::1']) {
      expect(clientAddress(peer, '198.51.100.1', NONE)).to.equal(peer);
      expect(clientAddress(peer, `198.51.100.1, ${CLIENT}`, NONE)).to.equal(peer);
    }
  });

  it('ignores a header sent by a peer that is not a trusted proxy', () => {
    const spoofs = ['198.51.100.1', `198.51.100.1, ${PROXY}`, PROXY, '127.0.0.1', 'garbage'];
    for (const header of spoofs) {
      expect(clientAddress(CLIENT, header, PROXIES), header).to.equal(CLIENT);
    }
  });

  it('takes the address a trusted proxy reports', () => {
    expect(clientAddress(PROXY, CLIENT, PROXIES)).to.equal(CLIENT);
    expect(clientAddress('127.0.0.1', CLIENT, PROXIES)).to.equal(CLIENT);
  });

  it('takes the rightmost untrusted entry, so entries a client prepends choose nothing', () => {
    const prepended = [
      `198.51.100.1, ${CLIENT}`,
      `127.0.0.1, ${CLIENT}`,
      `10.0.0.9, ${CLIENT}`,
      `${PROXY}, 10.0.0.3, ${CLIENT}`,
      `not-an-address, ${CLIENT}`,
      `, , ${CLIENT}`,
      `198.51.100.1:80, [::1], ${CLIENT}`,
    ];
    for (const header of prepended) {
      expect(clientAddress(PROXY, header, PROXIES), header).to.equal(CLIENT);
    }
  });

  it('skips every trusted hop, across several proxies and several joined headers', () => {
    const header = `198.51.100.1, ${CLIENT}, 10.0.0.3, 2001:db8:aa::5, 10.0.0.4`;
    expect(clientAddress(PROXY, header, PROXIES)).to.equal(CLIENT);
    expect(clientAddress('2001:db8:aa::1', `${CLIENT},10.1.2.3`, PROXIES)).to.equal(CLIENT);
  });

  it('takes the leftmost entry when every hop is a trusted proxy', () => {
    expect(clientAddress(PROXY, '10.0.0.7, 10.0.0.3', PROXIES)).to.equal('10.0.0.7');
    expect(clientAddress(PROXY, '::ffff:127.0.0.1', PROXIES)).to.equal('127.0.0.1');
  });

  it('falls back to the peer when a hop it has to read is malformed', () => {
    const malformed = [
      '',
      ' ',
      `${CLIENT},`,
      `${CLIENT}, garbage`,
      `${CLIENT}, unknown, 10.0.0.3`,
      `${CLIENT}, 10.0.0.3:8080`,
      `${CLIENT}, [2001:db8:aa::5]`,
      '203.0.113. 50',
      '203.0.113.50:4711',
      `${CLIENT} 10.0.0.3`,
      '127.1',
      '0x7f.0.0.1',
      'fe80::1%eth0',
      '203.0.113.0/24',
      'host.example',
    ];
    for (const header of malformed) {
      expect(clientAddress(PROXY, header, PROXIES), JSON.stringify(header)).to.equal(PROXY);
    }
  });

  it('allows spaces and tabs around entries', () => {
    expect(clientAddress(PROXY, `  ${CLIENT}  ,\t10.0.0.3 `, PROXIES)).to.equal(CLIENT);
    expect(clientAddress(PROXY, `\t${CLIENT}\t`, PROXIES)).to.equal(CLIENT);
  });

  it('handles IPv6 peers and entries, normalised', () => {
    expect(clientAddress('2001:db8:aa::1', '2001:DB8:BB::0001', PROXIES)).to.equal(
      '2001:db8:bb::1',
    );
    expect(clientAddress('2001:DB8:CC::1', CLIENT, PROXIES)).to.equal('2001:db8:cc::1');
    expect(clientAddress(PROXY, `2001:db8:bb::1, 2001:db8:aa::9`, PROXIES)).to.equal(
      '2001:db8:bb::1',
    );
  });

  it('reads an IPv4-mapped peer or entry as IPv4', () => {
    expect(clientAddress('::ffff:127.0.0.1', CLIENT, PROXIES)).to.equal(CLIENT);
    expect(clientAddress('::ffff:127.0.0.1', undefined, PROXIES)).to.equal('127.0.0.1');
    expect(clientAddress('::ffff:203.0.113.50', '10.0.0.3', PROXIES)).to.equal(CLIENT);
    expect(clientAddress('::ffff:203.0.113.50', undefined, NONE)).to.equal(CLIENT);
    expect(clientAddress(PROXY, '::ffff:203.0.113.50', PROXIES)).to.equal(CLIENT);
    expect(clientAddress(PROXY, '::ffff:10.0.0.5', PROXIES)).to.equal('10.0.0.5');
  });

  it('does not trust the IPv4-compatible form of a proxy address', () => {
    expect(clientAddress('::127.0.0.1', CLIENT, PROXIES)).to.equal('::7f00:1');
  });

  it('keeps a peer that is not a plain address as it came, and never trusts it', () => {
    expect(clientAddress('fe80::1%eth0', CLIENT, PROXIES)).to.equal('fe80::1%eth0');
    expect(clientAddress('', CLIENT, PROXIES)).to.equal('');
    const everyone = IpAllowList.parse(['0.0.0.0/0', '::/0'], FIELD);
    expect(clientAddress('127.1', CLIENT, everyone)).to.equal('127.1');
  });
});
