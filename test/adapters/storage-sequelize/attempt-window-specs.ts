import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { AttemptWindowRepository } from '../../../engine/contracts/storage-contract.js';
import { expectRejects } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const MINUTE = 60_000;
const subject = () => randomBytes(32).toString('hex');
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** Takes `count` attempts of `which` at once and resolves with their counts, sorted. */
export async function takeAtOnce(
  windows: AttemptWindowRepository,
  which: string,
  count: number,
  now: Date,
): Promise<number[]> {
  const counts = await Promise.all(
    Array.from({ length: count }, () => windows.take(which, now, MINUTE)),
  );
  return counts.sort((a, b) => a - b);
}

export function attemptWindowSpecs(context: SuiteContext): void {
  describe('attemptWindows', () => {
    it('counts takes in a window that lasts from its first take, then starts again', async () => {
      const windows = context.storage.attemptWindows;
      const which = subject();
      const counts = [];
      for (const ms of [0, 1_000, MINUTE - 1])
        counts.push(await windows.take(which, at(ms), MINUTE));
      expect(counts).to.deep.equal([1, 2, 3]);
      expect(await windows.take(which, at(MINUTE), MINUTE)).to.equal(1);
      expect(await windows.take(which, at(MINUTE + 1), MINUTE)).to.equal(2);
      expect(await windows.take(subject(), at(MINUTE + 1), MINUTE), 'another subject').to.equal(1);
    });

    it('gives back one attempt of a live window only, and never below none', async () => {
      const windows = context.storage.attemptWindows;
      const which = subject();
      await windows.giveBack(which, at(0));
      expect(await windows.take(which, at(0), MINUTE)).to.equal(1);
      await windows.giveBack(which, at(1));
      await windows.giveBack(which, at(2));
      expect(await windows.take(which, at(3), MINUTE)).to.equal(1);
      await windows.giveBack(which, at(MINUTE));
      expect(await windows.take(which, at(MINUTE - 1), MINUTE), 'ended: not given').to.equal(2);
    });

    it('counts each of many simultaneous takes once', async () => {
      const windows = context.storage.attemptWindows;
      const which = subject();
      const counts = await takeAtOnce(windows, which, 25, at(0));
      expect(counts).to.deep.equal(Array.from({ length: 25 }, (_, index) => index + 1));
      expect(await windows.take(which, at(1), MINUTE)).to.equal(26);
    });

    it('sweeps the windows that ended, and keeps the live ones', async () => {
      const windows = context.storage.attemptWindows;
      const [ended, live] = [subject(), subject()];
      await windows.take(ended, at(-2 * MINUTE), MINUTE);
      await windows.take(live, at(-1), MINUTE);
      expect(await windows.sweep(at(0))).to.be.at.least(1);
      expect(await windows.sweep(at(0)), 'nothing left to sweep').to.equal(0);
      expect(await windows.take(live, at(1), MINUTE)).to.equal(2);
    });

    it('refuses a subject that is empty, too long or holds control characters', async () => {
      const windows = context.storage.attemptWindows;
      for (const bad of ['', 'k'.repeat(65), 'a\u0000b']) {
        await expectRejects(() => windows.take(bad, at(0), MINUTE), 'TETHER_E_VALIDATION');
        await expectRejects(() => windows.giveBack(bad, at(0)), 'TETHER_E_VALIDATION');
      }
      for (const windowMs of [0, -1, 1.5, Number.NaN]) {
        await expectRejects(() => windows.take(subject(), at(0), windowMs), 'TETHER_E_VALIDATION');
      }
    });
  });
}
