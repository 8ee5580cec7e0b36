import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ErrorNote } from './error-note.js';
import { SecondFactorStep } from './second-factor-step.js';

/** A sign-in's state, as the engine's answers name it. */
export type SignInState =
  'password-change-required' | 'second-factor-setup-required' | 'second-factor-required' | 'active';

interface LoginAnswer {
  readonly state: SignInState;
  readonly methods: readonly string[];
}

/** Where the sign-in stands: what it asks for next, and the second factors on offer. */
interface Step {
  readonly state: SignInState | 'credentials';
  readonly methods: readonly string[];
}

/**
 * The administrator's sign-in: organisation, e-mail and password (or the one-time secret of a
 * first sign-in), then each step the engine's answer asks for, until the sign-in is active.
 */
export function SignIn(props: { readonly onSignedIn: () => void; readonly resume?: SignInState }) {
  const [step, setStep] = useState<Step>({ state: props.resume ?? 'credentials', methods: [] });
  const next = (state: SignInState, methods = step.methods) => {
    if (state === 'active') props.onSignedIn();
    else setStep({ state, methods });
  };
  return (
    <main class="sign-in card">
      <h1>Tether admin center</h1>
      {step.state === 'credentials' ? (
        <CredentialsStep onAnswer={(a) => next(a.state, a.methods)} />
      ) : null}
      {step.state === 'password-change-required' ? <NewPasswordStep onState={next} /> : null}
      {step.state === 'second-factor-setup-required' || step.state === 'second-factor-required' ? (
        <SecondFactorStep
          setup={step.state === 'second-factor-setup-required'}
          methods={step.methods}
          onState={next}
        />
      ) : null}
    </main>
  );
}

function CredentialsStep(props: { readonly onAnswer: (answer: LoginAnswer) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        tenant: String(form.get('tenant')),
        email: String(form.get('email')),
        password: String(form.get('password')),
        client: 'browser',
      };
      props.onAnswer(await api<LoginAnswer>('/api/v1/auth/login', { method: 'POST', body }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <p class="muted">Sign in as an administrator of your organisation.</p>
      <label for="tenant">Organisation</label>
      <input id="tenant" name="tenant" required autocomplete="organization" />
      <ErrorNote error={error} field="body.tenant" />
      <label for="email">E-mail</label>
      <input id="email" name="email" type="email" required autocomplete="username" />
      <ErrorNote error={error} field="body.email" />
      <label for="password">Password or one-time secret</label>
      <input
        id="password"
        name="password"
        type="password"
        required
        autocomplete="current-password"
      />
      <ErrorNote error={error} fieldsShownElsewhere={['body.tenant', 'body.email']} />
      <div class="row form-actions">
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
      </div>
    </form>
  );
}

function NewPasswordStep(props: { readonly onState: (state: SignInState) => void }) {
  const [error, setError] = useState<unknown>();
  const [mismatch, setMismatch] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const newPassword = String(form.get('new-password'));
    setMismatch(newPassword !== String(form.get('repeat-password')));
    if (newPassword !== String(form.get('repeat-password'))) return;
    setError(undefined);
    try {
      const answer = await api<{ state: SignInState }>('/api/v1/auth/password', {
        method: 'POST',
        body: { newPassword },
      });
      props.onState(answer.state);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Choose a new password">
      <p class="notice">Choose a new password before you go on. Long passphrases work best.</p>
      <label for="new-password">New password</label>
      <input
        id="new-password"
        name="new-password"
        type="password"
        required
        autocomplete="new-password"
      />
      <ErrorNote error={error} />
      <label for="repeat-password">Repeat it</label>
      <input
        id="repeat-password"
        name="repeat-password"
        type="password"
        required
        autocomplete="new-password"
      />
      {mismatch ? (
        <p class="error field-error" role="alert">
          The two passwords differ.
        </p>
      ) : null}
      <div class="row form-actions">
        <button class="primary" type="submit">
          Set password
        </button>
      </div>
    </form>
  );
}
