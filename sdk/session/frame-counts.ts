import type { SessionClientStats, SessionDropReason } from './session-client-types.js';

/** Frames a session client opened, and those it dropped, by reason. */
export class FrameCounts {
  private opened = 0;
  private readonly dropped: Partial<Record<SessionDropReason, number>> = {};

  countOpened(): void {
    this.opened++;
  }

  countDrop(reason: SessionDropReason): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  /** A snapshot, every reason present (0 when none). */
  stats(): SessionClientStats {
    return { opened: this.opened, dropped: { ...zeroDrops(), ...this.dropped } };
  }
}

function zeroDrops(): Record<SessionDropReason, number> {
  return {
    truncated: 0,
    'bad-version': 0,
    'wrong-direction': 0,
    replayed: 0,
    forged: 0,
    'bad-record': 0,
    'hold-full': 0,
    'stale-key': 0,
    'unknown-peer': 0,
    'bad-envelope': 0,
  };
}
