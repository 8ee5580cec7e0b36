import { useEffect, useState } from 'preact/hooks';
import type { LiveSession, LiveSnapshot } from './live-session.js';

/** The live session's snapshot, re-rendering the caller on every change. */
export function useSnapshot(live: LiveSession | undefined): LiveSnapshot | undefined {
  const [, setTick] = useState(0);
  useEffect(() => live?.subscribe(() => setTick((n) => n + 1)), [live]);
  return live?.current;
}
