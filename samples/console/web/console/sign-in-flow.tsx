import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { SignIn, SignInState } from './console-types.js';
import { useAction } from './use-action.js';

const TENANT_KEY = 'tether.console.tenant';

interface StepProps {
  readonly signIn: SignIn;
  readonly onState: (state: SignInState) => void;
}

/** Focuses the element on mount, so each step of signing in starts at its first field. */
function useAutofocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function Alert({ text }: { text: string | undefined }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

/** E-mail and password (and the tenant, remembered on this computer). */
export function SignInForm({ onSignedIn }: { onSignedIn: (signIn: SignIn) => void }) {
  const [tenant, setTenant] = useState(localStorage.getItem(TENANT_KEY) ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const first = useAutofocus<HTMLInputElement>();

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = { tenant, email, password, client: 'browser' };
      const answer = await api<SignIn>('/api/v1/auth/login', { method: 'POST', body });
      localStorage.setItem(TENANT_KEY, tenant);
      onSignedIn(answer);
    });
  };
  return (
    <form class="card auth-card stack" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to the console</h1>
      <div>
        <label for="tenant">Organisation</label>
        <input
          id="tenant"
          ref={tenant === '' ? first : undefined}
          value={tenant}
          onInput={(e) => setTenant(e.currentTarget.value)}
          autocomplete="organization"
          required
        />
      </div>
      <div>
        <label for="email">E-mail</label>
        <input
          id="email"
          type="email"
          ref={tenant === '' ? undefined : first}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          autocomplete="username"
          required
        />
      </div>
      <div>
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          autocomplete="current-password"
          required
        />
      </div>
      <Alert text={error} />
      <button class="primary" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** A new password, when the policy asks for one (a first sign-in, or an expired password). */
export function PasswordChangeForm({ onState }: StepProps) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, run, setError } = useAction();
  const first = useAutofocus<HTMLInputElement>();

  const submit = (event: Event) => {
    event.preventDefault();
    if (password !== again) return setError('The two passwords differ.');
    void run(async () => {
      const body = { newPassword: password };
      const answer = await api<{ state: SignInState }>('/api/v1/auth/password', {
        method: 'POST',
        body,
      });
      onState(answer.state);
    });
  };
  return (
    <form class="card auth-card stack" onSubmit={submit} aria-labelledby="password-title">
      <h1 id="password-title">Choose a new password</h1>
      <p class="muted">Your organisation asks for a new password before you continue.</p>
      <div>
        <label for="new-password">New password</label>
        <input
          id="new-password"
          ref={first}
          type="password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          autocomplete="new-password"
          required
        />
      </div>
      <div>
        <label for="new-password-again">The same again</label>
        <input
          id="new-password-again"
          type="password"
          value={again}
          onInput={(e) => setAgain(e.currentTarget.value)}
          autocomplete="new-password"
          required
        />
      </div>
      <Alert text={error} />
      <button class="primary" type="submit" disabled={busy}>
        Save the password
      </button>
    </form>
  );
}

function CodeField({ value, onInput }: { value: string; onInput: (code: string) => void }) {
  const ref = useAutofocus<HTMLInputElement>();
  return (
    <div>
      <label for="code">Six-digit code</label>
      <input
        id="code"
        ref={ref}
        class="code-input"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value.replace(/\D/g, ''))}
        required
      />
    </div>
  );
}

interface TotpSetup {
  readonly secret: string;
  readonly qrDataUrl: string;
}

/** First-time setup of an authenticator app: the QR code, the secret as text, a first code. */
export function TotpSetupForm({ onState }: StepProps) {
  const [setup, setSetup] = useState<TotpSetup>();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  useEffect(() => {
    void run(async () => {
      setSetup(await api<TotpSetup>('/api/v1/auth/second-factor/totp/setup', { method: 'POST' }));
    });
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api<{ state: SignInState }>('/api/v1/auth/second-factor/totp/confirm', {
        method: 'POST',
        body: { code },
      });
      onState(answer.state);
    });
  };
  return (
    <form class="card auth-card stack" onSubmit={submit} aria-labelledby="totp-title">
      <h1 id="totp-title">Set up your authenticator app</h1>
      <p>
        Your organisation asks for a second factor. Scan this code with an authenticator app, or
        type the key by hand, then enter the six digits it shows.
      </p>
      {setup ? (
        <div class="totp-setup">
          <img src={setup.qrDataUrl} alt="QR code of your authenticator key" class="qr" />
          <div>
            <span class="muted">Key</span>
            <code class="totp-secret" data-testid="totp-secret">
              {setup.secret}
            </code>
          </div>
        </div>
      ) : (
        !error && <p class="muted">Preparing your key…</p>
      )}
      {setup && <CodeField value={code} onInput={setCode} />}
      <Alert text={error} />
      <button class="primary" type="submit" disabled={busy || !setup}>
        Confirm
      </button>
    </form>
  );
}

const METHOD_NAMES: Readonly<Record<string, string>> = {
  totp: 'Authenticator app',
  email: 'E-mail',
  sms: 'Text message',
};

/** The second factor at a later sign-in: a code from the app, or one sent by e-mail or SMS. */
export function SecondFactorForm({ signIn, onState }: StepProps) {
  const methods = signIn.methods.length > 0 ? signIn.methods : ['totp'];
  const [method, setMethod] = useState(methods[0]!);
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string>();
  const { busy, error, run } = useAction();

  const send = () =>
    run(async () => {
      const path = `/api/v1/auth/second-factor/${method}/send`;
      setSentTo((await api<{ sentTo: string }>(path, { method: 'POST' })).sentTo);
    });
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api<{ state: SignInState }>('/api/v1/auth/second-factor/verify', {
        method: 'POST',
        body: { method, code },
      });
      onState(answer.state);
    });
  };
  return (
    <form class="card auth-card stack" onSubmit={submit} aria-labelledby="factor-title">
      <h1 id="factor-title">Confirm it is you</h1>
      {methods.length > 1 && (
        <div>
          <label for="method">Method</label>
          <select id="method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            {methods.map((m) => (
              <option key={m} value={m}>
                {METHOD_NAMES[m] ?? m}
              </option>
            ))}
          </select>
        </div>
      )}
      {method === 'totp' ? (
        <p class="muted">Enter the code your authenticator app shows now.</p>
      ) : (
        <div class="row">
          <button type="button" onClick={() => void send()} disabled={busy}>
            Send me a code
          </button>
          {sentTo && <span class="muted">Sent to {sentTo}</span>}
        </div>
      )}
      <CodeField value={code} onInput={setCode} />
      <Alert text={error} />
      <button class="primary" type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}

/** The step of signing in that `signIn.state` asks for; `active` renders nothing. */
export function SignInStep(props: StepProps) {
  switch (props.signIn.state) {
    case 'password-change-required':
      return <PasswordChangeForm {...props} />;
    case 'second-factor-setup-required':
      return <TotpSetupForm {...props} />;
    case 'second-factor-required':
      return <SecondFactorForm {...props} />;
    default:
      return null;
  }
}
