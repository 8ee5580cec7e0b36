import { ApiError } from '../shared/api-client.js';

/** An API error in plain words, and the request field it is about, if it names one. */
export interface PlainError {
  readonly field?: string;
  readonly text: string;
}

const WORDS: Readonly<Record<string, string>> = {
  TETHER_E_FORBIDDEN: 'You may not do that with your role.',
  TETHER_E_NOT_FOUND: 'It no longer exists, or it is outside the groups you manage.',
  TETHER_E_LOCKED_SETTING: 'A master administrator locked this setting further up the tree.',
  TETHER_E_CONFLICT: 'That clashes with what exists already.',
  TETHER_E_UNAUTHORIZED: 'Your sign-in has ended. Sign in again.',
  TETHER_E_SESSION_EXPIRED: 'Your sign-in has ended. Sign in again.',
  TETHER_E_CSRF: 'The page lost its sign-in token. Reload it and try again.',
  TETHER_E_RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  TETHER_E_SIGN_IN_FAILED:
    'The organisation, e-mail or password is not right, or the account is locked.',
  TETHER_E_SECOND_FACTOR_FAILED: 'That code is not right. Try the newest one.',
  TETHER_E_IP_NOT_ALLOWED: 'Signing in from this address is not allowed.',
};

/**
 * Puts an error of the API in plain words. A validation error names its field
 * (`body.name: too long`): the field goes apart, so a form can show the words next to it.
 * Messages are the engine's own and shown as text, never as markup.
 */
export function plainError(error: unknown): PlainError {
  if (!(error instanceof ApiError)) {
    return { text: 'The engine could not be reached. Check the connection and try again.' };
  }
  const named = /^((?:body|query|params)\.[A-Za-z0-9_.]+): (.*)$/.exec(error.message);
  if (error.code === 'TETHER_E_VALIDATION' && named) {
    // A list's entry (`body.ipAllowList.2`) belongs to the list's field.
    return { field: named[1]!.replace(/(\.\d+)+$/, ''), text: `Not accepted: ${named[2]}.` };
  }
  if (error.code === 'TETHER_E_VALIDATION' || error.code === 'TETHER_E_PASSWORD_POLICY') {
    return { text: `Not accepted: ${error.message}` };
  }
  const words = WORDS[error.code];
  if (words && error.code === 'TETHER_E_CONFLICT') return { text: `${words} ${error.message}.` };
  return { text: words ?? `${error.message} (${error.code})` };
}
