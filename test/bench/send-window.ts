import type { WindowLimits } from '../../sdk/session/outbound-records.js';

/**
 * What a bench sender sent one peer and has not seen acknowledged, bounded as the session
 * client bounds it (`DEFAULT_WINDOW`): without it a sender outruns a slower receiver and the
 * gateway, holding 32 MiB for that receiver, drops frames, which the real client never makes
 * it do.
 */
export class SendWindow {
  /** Sizes of the unacknowledged records, oldest first, from `head` on. */
  private readonly sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private ackedSeq = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly limits: WindowLimits) {}

  /** Record `seq` (the next one) of `size` bytes went out. */
  sent(size: number): void {
    this.sizes.push(size);
    this.bytes += size;
  }

  /** The peer acknowledged every record up to `seq`. */
  acknowledged(seq: number): void {
    while (this.ackedSeq < seq && this.head < this.sizes.length) {
      this.bytes -= this.sizes[this.head++]!;
      this.ackedSeq++;
    }
    if (this.head >= 1024) {
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
    this.wake?.();
  }

  /** Resolves once a record of `size` bytes fits, or after `timeoutMs` (false then). */
  room(size: number, timeoutMs: number): Promise<boolean> {
    if (this.fits(size)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      const settle = (fits: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(fits);
      };
      this.wake = () => this.fits(size) && settle(true);
    });
  }

  private fits(size: number): boolean {
    const records = this.sizes.length - this.head;
    return records < this.limits.maxRecords && this.bytes + size <= this.limits.maxBytes;
  }
}
