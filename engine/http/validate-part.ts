import type { z } from 'zod';
import { TetherError } from '../errors.js';

/** The parts of a request that a route's schemas check. */
export type RequestPart = 'params' | 'query' | 'body';

/**
 * Checks one part of a request against its schema. A mismatch is a 400 whose message names the
 * first bad field (`body.name: expected string`) and whose details list every issue.
 */
export function validatePart(part: RequestPart, schema: z.ZodType | undefined, value: unknown) {
  if (schema === undefined) return part === 'body' ? undefined : value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const issues = result.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0] ?? { field: part, message: 'invalid' };
  throw new TetherError('TETHER_E_VALIDATION', `${first.field}: ${first.message}`, {
    details: { issues },
  });
}
