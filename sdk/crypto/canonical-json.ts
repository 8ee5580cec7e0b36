const MAX_DEPTH = 32;

/**
 * The canonical JSON text of `value`, fit for signing: object keys sorted by UTF-16 code unit at
 * every depth, no whitespace, strings and numbers written as `JSON.stringify` writes them. Equal
 * values always give the same text.
 *
 * Returns `undefined` for anything JSON cannot carry unchanged: `undefined`, functions, symbols,
 * bigints, non-finite numbers, array holes, objects that are not plain, and nesting deeper than
 * 32 levels (which also keeps hostile input from exhausting the stack).
 */
export function canonicalJson(value: unknown): string | undefined {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (Array.isArray(value)) return encodeArray(value, depth);
  if (isPlainObject(value)) return encodeObject(value, depth);
  return undefined;
}

function encodeArray(items: unknown[], depth: number): string | undefined {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const part = i in items ? encode(items[i], depth + 1) : undefined;
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return `[${parts.join(',')}]`;
}

function encodeObject(object: Record<string, unknown>, depth: number): string | undefined {
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const part = encode(object[key], depth + 1);
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(key)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/** True for `{}`-style objects (prototype Object.prototype or null), false for class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
