import { useEffect, useMemo, useState } from 'preact/hooks';
import type { JoinedSession } from '../../../../sdk/session/joined-session.js';
import { JoinSession, type JoinSnapshot } from './join-session.js';

/** One JoinSession for the component's life, and its latest snapshot; disposed on unmount. */
export function useJoinSession(joined: JoinedSession): [JoinSession, JoinSnapshot] {
  const session = useMemo(() => new JoinSession(joined), [joined]);
  const [snapshot, setSnapshot] = useState(session.snapshot());

  useEffect(() => {
    const unsubscribe = session.subscribe(() => setSnapshot(session.snapshot()));
    setSnapshot(session.snapshot());
    return () => {
      unsubscribe();
      session.dispose();
    };
  }, [session]);

  return [session, snapshot];
}
