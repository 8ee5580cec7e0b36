import type { QueryInterface } from 'sequelize';
import * as initial from './0001-initial.js';
import * as identity from './0002-identity.js';
import * as organisation from './0003-organisation.js';
import * as access from './0004-access.js';
import * as groupAddresses from './0005-group-addresses.js';
import * as sessions from './0006-sessions.js';
import * as pluginRecordIndex from './0007-plugin-record-index.js';
import * as attemptWindows from './0008-attempt-windows.js';
import * as participantConnections from './0009-participant-connections.js';

/** One schema change; names sort in the order they apply. */
export interface Migration {
  readonly name: string;
  up(params: { context: QueryInterface }): Promise<void>;
  down(params: { context: QueryInterface }): Promise<void>;
}

/** Every migration, oldest first. A new one is appended here, never inserted. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  identity,
  organisation,
  access,
  groupAddresses,
  sessions,
  pluginRecordIndex,
  attemptWindows,
  participantConnections,
];
