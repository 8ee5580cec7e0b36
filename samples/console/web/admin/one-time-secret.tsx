import type { Member } from './directory.js';

/** A one-time secret, shown once: the member's first sign-in uses it to set a password. */
export function OneTimeSecret(props: { readonly member: Member; readonly secret: string }) {
  return (
    <div class="notice secret" role="status">
      <p>
        One-time secret for <span class="name">{props.member.displayName}</span> (
        {props.member.email}). It is shown only now: give it to them in person or over a trusted
        channel. They sign in with it and choose a password.
      </p>
      <p>
        <code class="one-time-secret">{props.secret}</code>
      </p>
    </div>
  );
}
