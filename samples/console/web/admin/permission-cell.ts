import type { Directory } from './directory-context.js';

/** A permission of the catalogue. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly byDefault: boolean;
}

/** One permission of one group, as the matrix route answers it. */
export interface Effective {
  readonly permission: string;
  readonly allowed: boolean;
  readonly own: boolean | null;
  readonly lockedBy?: string;
}

/** What a cell says, in words, for its label and its title. */
export function describeCell(effective: Effective, directory: Directory): string {
  const value = effective.allowed ? 'allowed' : 'denied';
  const source = effective.own === null ? 'inherited' : 'set here';
  const lock = effective.lockedBy
    ? `, locked by ${directory.groupName(effective.lockedBy) ?? 'a group above'}`
    : '';
  return `${value} (${source}${lock})`;
}
