import { expect } from 'chai';
import type { SequelizeStorage } from '../../../adapters/storage-sequelize/sequelize-storage.js';
import { isTetherError } from '../../../engine/errors.js';
import { AttemptLimiter } from '../../../engine/sessions/attempt-limiter.js';
import { rateLimitSubject } from '../../../engine/sessions/rate-limit-subject.js';
import type { Clock } from '../../../engine/contracts/clock-contract.js';
import {
  openStorage,
  sqliteMemoryFixture,
  type OpenStorage,
} from '../../adapters/storage-sequelize/storage-fixtures.js';

const refused = async (attempt: Promise<void>) => {
  try {
    await attempt;
    return false;
  } catch (error) {
    if (isTetherError(error, 'TETHER_E_RATE_LIMITED')) return true;
    throw error;
  }
};

/** A clock that moves only when the test says. */
class StepClock implements Clock {
  ms = Date.UTC(2026, 0, 1);
  now = () => new Date(this.ms);
  nowMs = () => this.ms;
  advance = (ms: number) => void (this.ms += ms);
}

describe('AttemptLimiter', () => {
  const fixture = sqliteMemoryFixture();
  let opened: OpenStorage;
  let storage: SequelizeStorage;
  const clock = new StepClock();
  const limiter = (scope = 'join-code') =>
    new AttemptLimiter(storage.attemptWindows, clock, scope, 3, 60_000);

  before(async () => {
    opened = openStorage(fixture, await fixture.fresh());
    storage = opened.storage;
    await storage.migrate();
  });
  after(async () => {
    await storage?.close();
    await fixture.tearDown();
  });

  it('refuses an address past max attempts until the window ends, even a right one', async () => {
    const limits = limiter();
    for (let i = 0; i < 3; i += 1) expect(await refused(limits.take('192.0.2.1'))).to.equal(false);
    expect(await refused(limits.take('192.0.2.1'))).to.equal(true);
    expect(await refused(limits.take('192.0.2.2')), 'another address').to.equal(false);
    expect(await refused(limiter('arrival').take('192.0.2.1')), 'another scope').to.equal(false);
    clock.advance(59_999);
    expect(await refused(limits.take('192.0.2.1'))).to.equal(true);
    clock.advance(1);
    expect(await refused(limits.take('192.0.2.1'))).to.equal(false);
  });

  it('does not count an attempt that was given back', async () => {
    const limits = limiter();
    for (let i = 0; i < 10; i += 1) {
      await limits.take('192.0.2.3');
      await limits.giveBack('192.0.2.3');
    }
    expect(await refused(limits.take('192.0.2.3'))).to.equal(false);
  });

  it('refuses all but max of many simultaneous attempts', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => refused(limiter().take('192.0.2.4'))),
    );
    expect(answers.filter((wasRefused) => !wasRefused)).to.have.length(3);
  });

  it('counts the addresses of one IPv6 /64 together, and a mapped IPv4 as the IPv4', async () => {
    const limits = limiter();
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::9']) {
      expect(await refused(limits.take(address))).to.equal(false);
    }
    expect(await refused(limits.take('2001:0db8:0001:0002:aaaa::'))).to.equal(true);
    expect(await refused(limits.take('2001:db8:1:3::1')), 'the next /64').to.equal(false);
    for (let i = 0; i < 3; i += 1) await limits.take('198.51.100.7');
    expect(await refused(limits.take('::ffff:198.51.100.7'))).to.equal(true);
  });

  it('keeps no address in the storage', async () => {
    await limiter().take('203.0.113.77');
    const rows = await opened.sequelize.query('SELECT subject FROM attempt_windows');
    expect(JSON.stringify(rows)).to.not.include('203.0.113');
  });
});

describe('rateLimitSubject', () => {
  it('keeps IPv4 addresses and takes IPv6 addresses by their /64', () => {
    const cases: Array<[string, string]> = [
      ['198.51.100.7', '198.51.100.7'],
      ['::ffff:198.51.100.7', '198.51.100.7'],
      ['::FFFF:10.0.0.1', '10.0.0.1'],
      ['2001:db8::1', '2001:db8:0:0::/64'],
      ['2001:0DB8:00a0:0000:1:2:3:4', '2001:db8:a0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['::', '0:0:0:0::/64'],
      ['1:2:3:4:5:6:7::', '1:2:3:4::/64'],
      ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
      ['::ffff:999.1.1.1', '::ffff:999.1.1.1'],
      ['not an address', 'not an address'],
      ['', ''],
    ];
    for (const [address, subject] of cases)
      expect(rateLimitSubject(address), address).to.equal(subject);
  });
});
