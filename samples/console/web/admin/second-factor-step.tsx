import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ErrorNote } from './error-note.js';
import type { SignInState } from './sign-in.js';

const METHOD_TITLES: Readonly<Record<string, string>> = {
  totp: 'Authenticator app',
  email: 'Code by e-mail',
  sms: 'Code by text message',
};

interface TotpSetup {
  readonly secret: string;
  readonly qrDataUrl: string;
}

/** The second factor: set it up (authenticator app, e-mail or text message) or prove it. */
export function SecondFactorStep(props: {
  readonly setup: boolean;
  readonly methods: readonly string[];
  readonly onState: (state: SignInState) => void;
}) {
  const offered = props.methods.length > 0 ? props.methods : ['totp'];
  const [method, setMethod] = useState(offered[0] ?? 'totp');
  return (
    <div class="stack">
      <p class="notice">
        {props.setup
          ? 'Your organisation asks for a second factor. Set one up to go on.'
          : 'Enter the code of your second factor.'}
      </p>
      {offered.length > 1 ? (
        <fieldset>
          <legend>Method</legend>
          {offered.map((id) => (
            <label key={id} class="inline">
              <input
                type="radio"
                name="method"
                value={id}
                checked={method === id}
                onChange={() => setMethod(id)}
              />{' '}
              {METHOD_TITLES[id] ?? id}
            </label>
          ))}
        </fieldset>
      ) : null}
      <CodeForm key={method} method={method} setup={props.setup} onState={props.onState} />
    </div>
  );
}

function CodeForm(props: {
  readonly method: string;
  readonly setup: boolean;
  readonly onState: (state: SignInState) => void;
}) {
  const [error, setError] = useState<unknown>();
  const [totp, setTotp] = useState<TotpSetup>();
  const [sentTo, setSentTo] = useState<string>();
  const totpSetup = props.setup && props.method === 'totp';

  useEffect(() => {
    if (!totpSetup) return;
    api<TotpSetup>('/api/v1/auth/second-factor/totp/setup', { method: 'POST' }).then(
      setTotp,
      setError,
    );
  }, [totpSetup]);

  const [phone, setPhone] = useState('');
  const send = async () => {
    setError(undefined);
    try {
      const path = `/api/v1/auth/second-factor/${props.method}/send`;
      // Setting up text messages proves a number; later the number on record is used.
      const body = props.method === 'sms' && props.setup ? { phone: phone.trim() } : undefined;
      setSentTo((await api<{ sentTo: string }>(path, { method: 'POST', body })).sentTo);
    } catch (failure) {
      setError(failure);
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get('code'));
    setError(undefined);
    try {
      const answer = totpSetup
        ? await api<{ state: SignInState }>('/api/v1/auth/second-factor/totp/confirm', {
            method: 'POST',
            body: { code },
          })
        : await api<{ state: SignInState }>('/api/v1/auth/second-factor/verify', {
            method: 'POST',
            body: { method: props.method, code },
          });
      props.onState(answer.state);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Second factor">
      {totpSetup && totp ? (
        <div class="totp-setup">
          <img
            src={totp.qrDataUrl}
            alt="QR code for your authenticator app"
            width={180}
            height={180}
          />
          <p>
            Scan the code with your authenticator app, or type this key:{' '}
            <code class="totp-secret">{totp.secret}</code>
          </p>
        </div>
      ) : null}
      {props.method === 'sms' && props.setup ? (
        <>
          <label for="phone">Mobile number</label>
          <input
            id="phone"
            type="tel"
            autocomplete="tel"
            placeholder="+4915112345678"
            value={phone}
            onInput={(event) => setPhone((event.currentTarget as HTMLInputElement).value)}
          />
        </>
      ) : null}
      {props.method !== 'totp' ? (
        <div class="row">
          <button type="button" onClick={send}>
            Send me a code
          </button>
          {sentTo ? <span class="muted">Sent to {sentTo}.</span> : null}
        </div>
      ) : null}
      <label for="code">Six-digit code</label>
      <input
        id="code"
        name="code"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
      />
      <ErrorNote error={error} />
      <div class="row form-actions">
        <button class="primary" type="submit">
          {totpSetup ? 'Confirm and sign in' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
