import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, hasCsrfCookie } from '../shared/api-client.js';
import type { SignIn, SignInState } from './console-types.js';
import { SignInForm, SignInStep } from './sign-in-flow.js';
import { describeError } from './use-action.js';
import { Workspace } from './workspace.js';

type Phase =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signed-out'; readonly notice?: string }
  | { readonly kind: 'signing-in' | 'signed-in'; readonly signIn: SignIn };

/** The console: finds the current sign-in, walks through its steps, then the workspace. */
export function ConsoleApp() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const enter = (signIn: SignIn) =>
    setPhase({ kind: signIn.state === 'active' ? 'signed-in' : 'signing-in', signIn });
  useEffect(() => {
    // Without the CSRF cookie there is no sign-in to ask about (and no 401 to log).
    if (!hasCsrfCookie()) return setPhase({ kind: 'signed-out' });
    api<SignIn>('/api/v1/auth/session').then(
      (found) => enter({ ...found, methods: found.methods ?? [] }),
      (error: unknown) => {
        const gone = error instanceof ApiError && error.status === 401;
        setPhase({ kind: 'signed-out', notice: gone ? undefined : describeError(error) });
      },
    );
  }, []);

  const onState = (state: SignInState) => {
    if (phase.kind === 'signing-in') enter({ ...phase.signIn, state });
  };
  const signOut = async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      setPhase({ kind: 'signed-out', notice: 'You are signed out.' });
    }
  };

  if (phase.kind === 'loading') return <p class="page muted">Loading…</p>;
  if (phase.kind === 'signed-in') {
    return <Workspace member={phase.signIn.member} onSignOut={() => void signOut()} />;
  }
  return (
    <div class="auth-page">
      <header class="topbar">
        <span class="brand">Tether console</span>
      </header>
      <main class="page">
        {phase.kind === 'signed-out' && phase.notice && (
          <p class="notice auth-card" role="status">
            {phase.notice}
          </p>
        )}
        {phase.kind === 'signed-out' ? (
          <SignInForm onSignedIn={enter} />
        ) : (
          <SignInStep signIn={phase.signIn} onState={onState} />
        )}
      </main>
    </div>
  );
}
