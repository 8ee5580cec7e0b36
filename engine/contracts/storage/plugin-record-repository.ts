import type { JsonValue } from '../json-value.js';
import type { Page, PageRequest } from './paging.js';

/** A record a plugin keeps: a JSON value under (kind, key). */
export interface PluginRecord {
  readonly kind: string;
  readonly key: string;
  readonly value: JsonValue;
  readonly updatedAt: Date;
}

/**
 * A plugin's own records inside one tenant, keyed by (kind, key). Promises: a plugin sees only
 * its own records of that tenant; `put` replaces; listing is ordered by key.
 */
export interface PluginRecordRepository {
  put(kind: string, key: string, value: JsonValue): Promise<void>;
  get(kind: string, key: string): Promise<PluginRecord | undefined>;
  list(kind: string, page?: PageRequest): Promise<Page<PluginRecord>>;
  delete(kind: string, key: string): Promise<boolean>;
}
