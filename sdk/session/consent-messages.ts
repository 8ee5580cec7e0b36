import { isPlainObject } from '../crypto/canonical-json.js';
import { PERMISSION_ID_PATTERN } from '../../engine/contracts/permission-contract.js';

/** The channel consent requests, decisions and revokes travel on. */
export const CONSENT_CHANNEL = 'consent';

/** A technician asks for a permission. */
export interface ConsentRequestBody {
  readonly type: 'request';
  readonly id: string;
  readonly permission: string;
  readonly prompt: string;
}

/** The end user's answer to one request. */
export interface ConsentDecisionBody {
  readonly type: 'decision';
  readonly id: string;
  readonly permission: string;
  readonly decision: 'granted' | 'denied';
  readonly why?: string;
}

/** The end user withdrew a permission. */
export interface ConsentRevokeBody {
  readonly type: 'revoke';
  readonly permission: string;
}

/** A consent channel body (protocol.md, "Records"). */
export type ConsentBody = ConsentRequestBody | ConsentDecisionBody | ConsentRevokeBody;

const MAX_ID = 128;
const MAX_PROMPT = 4096;

/** The consent body in `bytes`, or `undefined` when it is not a well-formed one. */
export function parseConsentBody(bytes: Uint8Array): ConsentBody | undefined {
  const value = parseJson(bytes);
  if (!isPlainObject(value)) return undefined;
  const { type, id, permission } = value;
  if (typeof permission !== 'string' || !PERMISSION_ID_PATTERN.test(permission)) return undefined;
  if (type === 'revoke') return { type, permission };
  if (!isText(id, MAX_ID)) return undefined;
  if (type === 'request') {
    const { prompt } = value;
    return isText(prompt, MAX_PROMPT, 0) ? { type, id, permission, prompt } : undefined;
  }
  if (type !== 'decision') return undefined;
  const { decision, why } = value;
  if (decision !== 'granted' && decision !== 'denied') return undefined;
  return { type, id, permission, decision, ...(typeof why === 'string' ? { why } : {}) };
}

/** Parsed UTF-8 JSON, or `undefined` for anything that is not. */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // Not UTF-8 JSON: the caller treats `undefined` as a body it ignores.
    return undefined;
  }
}

function isText(value: unknown, max: number, min = 1): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}
