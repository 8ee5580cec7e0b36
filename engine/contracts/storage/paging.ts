/** A page of results and the cursor for the next one (absent on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
}

/** Paging of a list: at most `limit` items (1 to 500) after the opaque cursor `after`. */
export interface PageRequest {
  readonly limit?: number;
  readonly after?: string;
}
