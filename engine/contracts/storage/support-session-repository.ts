import type { ConsentDecision } from '../consent-contract.js';
import type { SupportSessionState } from '../sessions-contract.js';
import type { Page, PageRequest } from './paging.js';
import type { TenantId } from './tenant-directory.js';

/** One support session as stored. The join code itself is never stored, only its hash. */
export interface SupportSessionRecord {
  /** The public id (`S` and 10 base32 characters): lists, logs, audit and the API use it. */
  readonly ref: string;
  /** The 128-bit session GUID (32 hex characters) the participants' certificates carry. */
  readonly guid: string;
  readonly state: SupportSessionState;
  readonly closeReason?: string;
  readonly ownerMemberId?: string;
  readonly createdByMemberId?: string;
  /** The group whose queue it sits in, or the group of the technician who made it. */
  readonly groupId?: string;
  readonly endUserName?: string;
  /** Whether a join code is still live (unused and the session not closed). */
  readonly hasLiveCode: boolean;
  readonly joinCodeExpiresAt?: Date;
  readonly joinCodeUsedAt?: Date;
  readonly endUserLastSeenAt?: Date;
  readonly endUserDisconnectedAt?: Date;
  readonly relayedBytes: number;
  /** The latest consent decision the end user's side reported, per permission. */
  readonly consent: Readonly<Record<string, ConsentDecision>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly endedAt?: Date;
}

/** What a new session starts with; it is always `waiting`. */
export interface NewSupportSession {
  readonly ref: string;
  readonly guid: string;
  readonly ownerMemberId?: string;
  readonly createdByMemberId?: string;
  readonly groupId?: string;
  readonly endUserName?: string;
  /** SHA-256 hex of the six digits; unique among live codes of every tenant. */
  readonly joinCodeHash?: string;
  readonly joinCodeExpiresAt?: Date;
  /** Set when the end user arrived without a code (a queue arrival). */
  readonly endUserLastSeenAt?: Date;
  readonly createdAt: Date;
}

/**
 * A change of state, written only if the row still matches `expected`: the states it may be in
 * and, when given, its owner (`null`: no owner). This is how two nodes changing one session at
 * once cannot both win.
 */
export interface SessionStateChange {
  readonly expected: {
    readonly states: readonly SupportSessionState[];
    readonly ownerMemberId?: string | null;
  };
  readonly patch: {
    readonly state: SupportSessionState;
    readonly closeReason?: string;
    /** `null`: no owner any more. */
    readonly ownerMemberId?: string | null;
    readonly groupId?: string;
    readonly endedAt?: Date;
    /** Replaces the consent record (all `revoked` when the session ends). */
    readonly consent?: Readonly<Record<string, ConsentDecision>>;
    readonly updatedAt: Date;
  };
}

/** Which sessions a list shows: the member's own and those of the given groups, or all. */
export interface SessionListFilter {
  readonly memberId: string;
  readonly groupIds: readonly string[];
  /** Every session of the tenant (a master role). */
  readonly all?: boolean;
  readonly state?: SupportSessionState;
}

/** A participant's place in a session. */
export interface SessionParticipant {
  /** `t-<member id>` for technicians, `u-<16 hex>` for the end user. */
  readonly id: string;
  readonly sessionRef: string;
  readonly role: 'technician' | 'end-user';
  readonly kind: 'owner' | 'collaborator' | 'end-user';
  readonly memberId?: string;
  /** End user only: SHA-256 (base64url) of the 32-byte secret the join returned. */
  readonly secretHash?: string;
  /** The first connection through the gateway. */
  readonly joinedAt?: Date;
  /** Set when the participant lost its place (transferred away). */
  readonly leftAt?: Date;
}

/**
 * The support sessions of one tenant and their participants. Promises: everything is confined
 * to the tenant; every conditional write answers whether it changed the row, so exactly one of
 * several concurrent writers wins; a join code is used up by exactly one caller.
 */
export interface SupportSessionRepository {
  /** Stores a new session; a clash of ref, GUID or live code hash is TETHER_E_CONFLICT. */
  create(session: NewSupportSession): Promise<SupportSessionRecord>;
  /** The session with public id `ref` in this tenant, or undefined. */
  findByRef(ref: string): Promise<SupportSessionRecord | undefined>;
  /** Sessions the filter lets the member see, by ref. */
  list(filter: SessionListFilter, page?: PageRequest): Promise<Page<SupportSessionRecord>>;
  /** Waiting or transferred sessions without an owner in the queues of `groupIds`, oldest first. */
  queue(groupIds: readonly string[]): Promise<readonly SupportSessionRecord[]>;
  /** Applies `change` only if the row matches its expectation; true when it did. */
  changeState(ref: string, change: SessionStateChange): Promise<boolean>;
  /**
   * Uses up the live code `codeHash` of session `ref` if it has not expired at `now`: true for
   * exactly one caller, false for every other (used, expired, closed or not this code).
   */
  useJoinCode(ref: string, codeHash: string, now: Date): Promise<boolean>;
  /** Notes the end user's presence: last seen, and disconnected-at (null: connected). */
  touchEndUser(
    ref: string,
    seen: { readonly lastSeenAt: Date; readonly disconnectedAt?: Date | null },
  ): Promise<void>;
  /** Notes that the end users of sessions `refs` were still there at `at`, in one write. */
  markEndUsersSeen(refs: readonly string[], at: Date): Promise<void>;
  /** Sets the name the end user gave (checked for length and control characters). */
  setEndUserName(ref: string, name: string): Promise<void>;
  /** Adds to the relayed byte count. */
  addRelayedBytes(ref: string, bytes: number): Promise<void>;
  /** Adds to the relayed byte counts of many sessions (ref → bytes) in a few statements. */
  addRelayedBytesMany(counts: ReadonlyMap<string, number>): Promise<void>;
  /** Records one consent decision unless the session is closed; true when recorded. */
  recordConsent(ref: string, permission: string, decision: ConsentDecision): Promise<boolean>;

  /** Adds a participant, or gives an existing one of the same id its place back. */
  putParticipant(participant: Omit<SessionParticipant, 'joinedAt' | 'leftAt'>): Promise<void>;
  /** One participant of session `ref`, or undefined. */
  findParticipant(ref: string, participantId: string): Promise<SessionParticipant | undefined>;
  /** Every participant session `ref` has had, those who left included. */
  participants(ref: string): Promise<readonly SessionParticipant[]>;
  /**
   * Numbers a new gateway connection of the participant: resolves with how many connections it
   * has opened, this one included, counted in the database every node shares; so of two
   * connections the later one has the higher number, whichever nodes they reached. Undefined
   * when the session has no such participant.
   */
  countConnection(ref: string, participantId: string): Promise<number | undefined>;
  /** Marks the first connection; true only the first time. */
  markJoined(ref: string, participantId: string, at: Date): Promise<boolean>;
  /** The participant loses its place; true when it had one. */
  markLeft(ref: string, participantId: string, at: Date): Promise<boolean>;
  /** Refs of sessions the member takes or took part in as a technician. */
  refsOf(memberId: string): Promise<readonly string[]>;
}

/** Where a session lives, and nothing more: what the cross-tenant finders may reveal. */
export interface SessionLocation {
  readonly tenantId: TenantId;
  readonly ref: string;
}

/**
 * The few lookups that must work before the tenant is known: a join code and a session GUID
 * arrive from end users and the gateway without one, an arrival names only a group, and the
 * grace sweeper looks at every tenant. Promises: each answers only where the row is (tenant id
 * and ref, or the tenant of a group), never its content.
 */
export interface SessionLocator {
  /** Where the session whose live (unused, unclosed) code has this hash is, or undefined. */
  byJoinCodeHash(codeHash: string): Promise<SessionLocation | undefined>;
  /** Where the session with this GUID is, or undefined. */
  byGuid(guid: string): Promise<SessionLocation | undefined>;
  /** The tenant a technician group belongs to. */
  tenantOfGroup(groupId: string): Promise<TenantId | undefined>;
  /** Open sessions whose end user was last seen before `cutoff`. */
  endUserGoneBefore(cutoff: Date, limit: number): Promise<readonly SessionLocation[]>;
  /** Waiting sessions whose unused code expired before `now`. */
  codeExpiredBefore(now: Date, limit: number): Promise<readonly SessionLocation[]>;
}
