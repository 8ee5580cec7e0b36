import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../shared/api-client.js';
import { AdminShell } from './admin-shell.js';
import { ADMIN_ROLES, type Me } from './directory.js';
import { SignIn, type SignInState } from './sign-in.js';

interface SignInAnswer {
  readonly state: SignInState;
  readonly member: Me;
}

type View =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out'; readonly resume?: SignInState }
  | { readonly kind: 'not-admin'; readonly me: Me }
  | { readonly kind: 'signed-in'; readonly me: Me };

/** Finds out whether this browser is signed in, and shows the sign-in or the admin center. */
export function AdminApp() {
  const [view, setView] = useState<View>({ kind: 'checking' });
  const check = async () => {
    // Without the script-readable CSRF cookie there is no sign-in to ask about; asking anyway
    // would only log a failed request in the console.
    if (!document.cookie.split('; ').some((part) => part.startsWith('tether_csrf='))) {
      setView({ kind: 'signed-out' });
      return;
    }
    try {
      const answer = await api<SignInAnswer>('/api/v1/auth/session');
      if (answer.state !== 'active') setView({ kind: 'signed-out', resume: answer.state });
      else if (!ADMIN_ROLES.includes(answer.member.role))
        setView({ kind: 'not-admin', me: answer.member });
      else setView({ kind: 'signed-in', me: answer.member });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setView({ kind: 'signed-out' });
    }
  };
  const signOut = async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    setView({ kind: 'signed-out' });
  };
  useEffect(() => {
    void check();
  }, []);

  if (view.kind === 'checking') return <p class="page muted">Loading…</p>;
  if (view.kind === 'signed-out') return <SignIn resume={view.resume} onSignedIn={check} />;
  if (view.kind === 'not-admin') {
    return (
      <main class="sign-in card">
        <h1>Tether admin center</h1>
        <p class="notice warn">
          {view.me.displayName} is a technician: the admin center is for administrators. The console
          is at <a href="/console/">/console/</a>.
        </p>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </main>
    );
  }
  return <AdminShell me={view.me} onSignOut={signOut} />;
}
