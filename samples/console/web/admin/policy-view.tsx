import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ChoiceSelect, type Choice } from './choice-select.js';
import { ErrorNote } from './error-note.js';
import { useLoad } from './use-load.js';

/** The tenant policy as `GET /api/v1/policy` gives it, every default filled in. */
interface Policy {
  readonly password: { minLength: number; minStrength: number; maxAgeDays?: number };
  readonly lockout: { maxAttempts: number; unlockAfterMinutes?: number };
  readonly secondFactor: { required: string; methods: string[] };
  readonly session: { idleMinutes: number; reauthHours: number };
  readonly sso: {
    enabled: boolean;
    entryPoint?: string;
    idpIssuer?: string;
    idpCertificate?: string;
  };
  readonly sessions: { chatText: string };
  readonly ipAllowList: string[];
}

const STRENGTHS: readonly Choice[] = [
  ['0', '0: anything'],
  ['1', '1: very weak'],
  ['2', '2: weak'],
  ['3', '3: good'],
  ['4', '4: strong'],
];
const WHO_NEEDS_SECOND_FACTOR: readonly Choice[] = [
  ['nobody', 'Nobody'],
  ['administrators', 'Administrators'],
  ['everyone', 'Everyone'],
];

const FIELDS = [
  'body.password.minLength',
  'body.password.minStrength',
  'body.secondFactor.required',
  'body.password.maxAgeDays',
  'body.lockout.maxAttempts',
  'body.lockout.unlockAfterMinutes',
  'body.secondFactor.methods',
  'body.session.idleMinutes',
  'body.session.reauthHours',
  'body.sso.entryPoint',
  'body.sso.idpIssuer',
  'body.sso.idpCertificate',
  'body.ipAllowList',
];

const numberOf = (form: FormData, name: string) => {
  const text = String(form.get(name) ?? '').trim();
  return text === '' ? undefined : Number(text);
};
const textOf = (form: FormData, name: string) => {
  const text = String(form.get(name) ?? '').trim();
  return text === '' ? undefined : text;
};
const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

function policyFrom(form: FormData): object {
  return {
    password: defined({
      minLength: numberOf(form, 'minLength'),
      minStrength: numberOf(form, 'minStrength'),
      maxAgeDays: numberOf(form, 'maxAgeDays'),
    }),
    lockout: defined({
      maxAttempts: numberOf(form, 'maxAttempts'),
      unlockAfterMinutes: numberOf(form, 'unlockAfterMinutes'),
    }),
    secondFactor: {
      required: String(form.get('required')),
      methods: form.getAll('methods').map(String),
    },
    session: defined({
      idleMinutes: numberOf(form, 'idleMinutes'),
      reauthHours: numberOf(form, 'reauthHours'),
    }),
    sso: defined({
      enabled: form.get('ssoEnabled') === 'on',
      entryPoint: textOf(form, 'entryPoint'),
      idpIssuer: textOf(form, 'idpIssuer'),
      idpCertificate: textOf(form, 'idpCertificate'),
    }),
    sessions: { chatText: String(form.get('chatText')) },
    ipAllowList: String(form.get('ipAllowList') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean),
  };
}

/** A labelled field with its error note next to it. */
function Field(props: {
  readonly id: string;
  readonly label: string;
  readonly field: string;
  readonly error: unknown;
  readonly hint?: string;
  readonly children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <span class="muted hint">{props.hint}</span> : null}
      <ErrorNote error={props.error} field={props.field} />
    </div>
  );
}

/** The tenant's policy: passwords, lockout, second factor, sign-ins, chat text, addresses, SSO. */
export function PolicyView() {
  const loaded = useLoad(() => api<Policy>('/api/v1/policy'), []);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      const body = policyFrom(new FormData(event.currentTarget as HTMLFormElement));
      await api('/api/v1/policy', { method: 'PUT', body });
      setSaved(true);
      await loaded.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const policy = loaded.data;
  if (!policy) return <ErrorNote error={loaded.error} />;
  const f = (
    id: string,
    label: string,
    field: string,
    children: ComponentChildren,
    hint?: string,
  ) => (
    <Field id={id} label={label} field={field} error={error} hint={hint}>
      {children}
    </Field>
  );
  return (
    <section aria-labelledby="policy-title" class="stack">
      <h1 id="policy-title">Policies</h1>
      <form class="policy stack" onSubmit={submit} aria-label="Policies">
        <fieldset class="card">
          <legend>Passwords</legend>
          {f(
            'minLength',
            'Shortest password (characters)',
            'body.password.minLength',
            <input
              id="minLength"
              name="minLength"
              type="number"
              min={8}
              max={128}
              required
              defaultValue={String(policy.password.minLength)}
            />,
          )}
          {f(
            'minStrength',
            'Weakest password accepted',
            'body.password.minStrength',
            <ChoiceSelect
              id="minStrength"
              name="minStrength"
              initial={String(policy.password.minStrength)}
              choices={STRENGTHS}
            />,
          )}
          {f(
            'maxAgeDays',
            'Password expires after (days)',
            'body.password.maxAgeDays',
            <input
              id="maxAgeDays"
              name="maxAgeDays"
              type="number"
              min={1}
              max={3650}
              defaultValue={policy.password.maxAgeDays?.toString() ?? ''}
            />,
            'Empty: never',
          )}
          {f(
            'maxAttempts',
            'Failed attempts before the account locks',
            'body.lockout.maxAttempts',
            <input
              id="maxAttempts"
              name="maxAttempts"
              type="number"
              min={1}
              max={100}
              required
              defaultValue={String(policy.lockout.maxAttempts)}
            />,
          )}
          {f(
            'unlockAfterMinutes',
            'Unlock by itself after (minutes)',
            'body.lockout.unlockAfterMinutes',
            <input
              id="unlockAfterMinutes"
              name="unlockAfterMinutes"
              type="number"
              min={1}
              defaultValue={policy.lockout.unlockAfterMinutes?.toString() ?? ''}
            />,
            'Empty: only an administrator unlocks',
          )}
        </fieldset>
        <fieldset class="card">
          <legend>Second factor</legend>
          {f(
            'required',
            'Who needs a second factor',
            'body.secondFactor.required',
            <ChoiceSelect
              id="required"
              name="required"
              initial={policy.secondFactor.required}
              choices={WHO_NEEDS_SECOND_FACTOR}
            />,
          )}
          <fieldset class="plain">
            <legend>Methods members may use</legend>
            {[
              ['totp', 'Authenticator app'],
              ['email', 'Code by e-mail'],
              ['sms', 'Code by text message'],
            ].map(([id, title]) => (
              <label class="inline" key={id}>
                <input
                  type="checkbox"
                  name="methods"
                  value={id}
                  defaultChecked={policy.secondFactor.methods.includes(id!)}
                />{' '}
                {title}
              </label>
            ))}
            <ErrorNote error={error} field="body.secondFactor.methods" />
          </fieldset>
        </fieldset>
        <fieldset class="card">
          <legend>Sign-ins</legend>
          {f(
            'idleMinutes',
            'Idle logoff after (minutes)',
            'body.session.idleMinutes',
            <input
              id="idleMinutes"
              name="idleMinutes"
              type="number"
              min={1}
              max={1440}
              required
              defaultValue={String(policy.session.idleMinutes)}
            />,
          )}
          {f(
            'reauthHours',
            'Sign in again after (hours)',
            'body.session.reauthHours',
            <input
              id="reauthHours"
              name="reauthHours"
              type="number"
              min={1}
              max={720}
              required
              defaultValue={String(policy.session.reauthHours)}
            />,
          )}
          {f(
            'ipAllowList',
            'Addresses members may sign in from',
            'body.ipAllowList',
            <textarea
              id="ipAllowList"
              name="ipAllowList"
              rows={3}
              defaultValue={policy.ipAllowList.join('\n')}
              placeholder="203.0.113.0/24, one a line"
            />,
            'Empty: anywhere. Groups can narrow this further.',
          )}
        </fieldset>
        <fieldset class="card">
          <legend>Support sessions</legend>
          <fieldset class="plain">
            <legend>Chat text</legend>
            <label class="inline">
              <input
                type="radio"
                name="chatText"
                value="store"
                defaultChecked={policy.sessions.chatText === 'store'}
              />{' '}
              Store chat text (sealed under the organisation's key)
            </label>
            <label class="inline">
              <input
                type="radio"
                name="chatText"
                value="omit"
                defaultChecked={policy.sessions.chatText !== 'store'}
              />{' '}
              Keep only who wrote when, never the text
            </label>
          </fieldset>
        </fieldset>
        <fieldset class="card">
          <legend>Single sign-on (SAML)</legend>
          <label class="inline">
            <input type="checkbox" name="ssoEnabled" defaultChecked={policy.sso.enabled} /> Members
            may sign in through the identity provider
          </label>
          {f(
            'entryPoint',
            'Identity provider sign-in URL',
            'body.sso.entryPoint',
            <input
              id="entryPoint"
              name="entryPoint"
              type="url"
              defaultValue={policy.sso.entryPoint ?? ''}
            />,
          )}
          {f(
            'idpIssuer',
            'Identity provider entity ID',
            'body.sso.idpIssuer',
            <input id="idpIssuer" name="idpIssuer" defaultValue={policy.sso.idpIssuer ?? ''} />,
          )}
          {f(
            'idpCertificate',
            'Identity provider signing certificate (PEM)',
            'body.sso.idpCertificate',
            <textarea
              id="idpCertificate"
              name="idpCertificate"
              rows={3}
              defaultValue={policy.sso.idpCertificate ?? ''}
            />,
          )}
        </fieldset>
        <ErrorNote error={error} fieldsShownElsewhere={FIELDS} />
        {saved ? (
          <p class="ok" role="status">
            Policies saved.
          </p>
        ) : null}
        <div class="row form-actions">
          <button class="primary" type="submit">
            Save policies
          </button>
        </div>
      </form>
    </section>
  );
}
