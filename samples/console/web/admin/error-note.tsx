import { ApiError } from '../shared/api-client.js';
import { plainError } from './error-text.js';

/** Where an error shows: next to one field, or as the form's own note for the rest. */
export interface ErrorNoteProps {
  readonly error: unknown;
  /** Show only an error about this request field (`body.name`). */
  readonly field?: string;
  /** For the form's own note: fields that have a note of their own next to them. */
  readonly fieldsShownElsewhere?: readonly string[];
  readonly id?: string;
}

/** An API error in plain words, announced to screen readers, rendered as text. */
export function ErrorNote(props: ErrorNoteProps) {
  if (props.error === undefined) return null;
  const plain = plainError(props.error);
  if (props.field !== undefined && plain.field !== props.field) return null;
  if (
    props.field === undefined &&
    plain.field &&
    props.fieldsShownElsewhere?.includes(plain.field)
  ) {
    return null;
  }
  // An ended sign-in (idle logoff, a disabled account) gets a way back to the sign-in form.
  const signedOut = props.error instanceof ApiError && props.error.status === 401;
  return (
    <p class="error field-error" role="alert" id={props.id}>
      {plain.text}
      {signedOut ? (
        <>
          {' '}
          <button type="button" onClick={() => location.reload()}>
            Sign in again
          </button>
        </>
      ) : null}
    </p>
  );
}
