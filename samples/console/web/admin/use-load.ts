import { useCallback, useEffect, useState } from 'preact/hooks';

/** What {@link useLoad} gives: the data once loaded, the error if it failed, and a reload. */
export interface Loaded<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
}

/** Loads `load()` now and whenever `deps` change; a newer load wins over an older one. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const run = useCallback(async () => {
    setState((now) => ({ ...now, loading: true }));
    try {
      const data = await load();
      setState({ data, loading: false });
    } catch (error) {
      setState((now) => ({ data: now.data, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { ...state, reload: run };
}
