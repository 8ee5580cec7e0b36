import type { JsonValue } from '../../engine/contracts/json-value.js';

/** A JSON value as a TEXT column holds it: SQL NULL for absent, the text `null` for JSON null. */
export function toJsonColumn(value: JsonValue | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** A TEXT column read back as JSON (undefined for null). */
export function fromJsonColumn(text: unknown): JsonValue | undefined {
  return typeof text === 'string' ? (JSON.parse(text) as JsonValue) : undefined;
}
