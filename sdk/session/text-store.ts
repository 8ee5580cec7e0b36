/** Text kept under names, such as a page's sessionStorage or a panel's `saved`. */
export interface TextStore {
  /** The text under `name`, or undefined. */
  get(name: string): string | undefined;
  /** Keeps `value` under `name`; may throw when the store is full. */
  set(name: string, value: string): void;
  /** Forgets what is under `name`. */
  remove(name: string): void;
}
