import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api-client.js';

/** Words for the engine's error codes a technician meets; the engine's message otherwise. */
const PLAIN: Readonly<Record<string, string>> = {
  TETHER_E_SIGN_IN_FAILED: 'Wrong e-mail or password, or the account is locked.',
  TETHER_E_SECOND_FACTOR_FAILED: 'That code is wrong or has expired. Try the current one.',
  TETHER_E_SESSION_TAKEN: 'Another technician picked this session up first.',
  TETHER_E_SESSION_EXPIRED: 'Your sign-in has ended. Sign in again.',
  TETHER_E_RATE_LIMITED: 'Too many attempts. Wait a few minutes and try again.',
};

/** A message for a failed call that a person can act on. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return PLAIN[error.code] ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one user action at a time: `busy` while it runs, `error` when it failed (as words),
 * cleared when the next one starts.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run(work: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, setError };
}
