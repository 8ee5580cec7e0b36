import type { JsonValue } from '../json-value.js';
import type { Page, PageRequest } from './paging.js';

/** A record a plugin keeps: a JSON value under (kind, key). */
export interface PluginRecord {
  readonly kind: string;
  readonly key: string;
  readonly value: JsonValue;
  readonly updatedAt: Date;
  /** The time the record was indexed under, when `put` gave one. */
  readonly at?: Date;
}

/**
 * What `put` may add so that `find` reaches the record without reading the others: labels such
 * as `session:<ref>` (at most 32, each 1 to 200 characters without control characters) and a
 * time to select and order by (when a message was sent, say).
 */
export interface PluginRecordIndex {
  readonly tags?: readonly string[];
  readonly at?: Date;
}

/**
 * Which records of a kind `find` answers: those indexed with a time, carrying `tag` when given,
 * with `from <= at < to` for the bounds given.
 */
export interface PluginRecordQuery {
  readonly tag?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * A plugin's own records inside one tenant, keyed by (kind, key). Promises: a plugin sees only
 * its own records of that tenant; `put` replaces the value and the index; listing is ordered by
 * key; `find` goes through the index (never a scan of the kind) and is ordered by `at`, then key.
 */
export interface PluginRecordRepository {
  put(kind: string, key: string, value: JsonValue, index?: PluginRecordIndex): Promise<void>;
  /**
   * Stores the record only if (kind, key) holds none yet, atomically, so two callers at once
   * cannot both store it; resolves whether this call did.
   */
  add(kind: string, key: string, value: JsonValue, index?: PluginRecordIndex): Promise<boolean>;
  get(kind: string, key: string): Promise<PluginRecord | undefined>;
  list(kind: string, page?: PageRequest): Promise<Page<PluginRecord>>;
  /** The records of `kind` indexed with a time that match `query`, page by page. */
  find(kind: string, query: PluginRecordQuery, page?: PageRequest): Promise<Page<PluginRecord>>;
  delete(kind: string, key: string): Promise<boolean>;
}
