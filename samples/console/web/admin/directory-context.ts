import type { Group, Me, Member, PlacedGroup } from './directory.js';

/** What every section shares: who is signed in, the groups and members in reach. */
export interface Directory {
  readonly me: Me;
  /** Whether the signed-in member manages the whole tenant. */
  readonly master: boolean;
  readonly groups: readonly Group[];
  /** The groups in tree order. */
  readonly placed: readonly PlacedGroup[];
  readonly members: readonly Member[];
  /** Loads groups and members again, after a change. */
  readonly reload: () => Promise<void>;
  readonly groupName: (id: string) => string | undefined;
  readonly memberName: (id: string) => string | undefined;
}
