import type { Context } from 'koa';
import { TetherError } from '../errors.js';

/**
 * Reads a request body of at most `limit` bytes: JSON, or for `form` an HTML form
 * (`application/x-www-form-urlencoded`, as identity providers post) read into an object of
 * strings. An absent body reads as `undefined`; a body of another type is a 415, an oversized
 * one a 413, bad JSON a 400: never a 500.
 */
export async function readJsonBody(
  ctx: Context,
  limit: number,
  type: 'json' | 'form' = 'json',
): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limit) throw tooLarge(limit);
  const hasBody = declared > 0 || ctx.get('transfer-encoding') !== '';
  if (!hasBody) return undefined;
  const media = type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  if (!ctx.is(media)) {
    throw new TetherError('TETHER_E_UNSUPPORTED_MEDIA_TYPE', `The request body must be ${media}`);
  }

  const text = await readText(ctx.req, limit);
  if (type === 'form') return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TetherError(
      'TETHER_E_BAD_JSON',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

async function readText(stream: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(limit: number): TetherError {
  return new TetherError('TETHER_E_BODY_TOO_LARGE', `The request body exceeds ${limit} bytes`);
}
