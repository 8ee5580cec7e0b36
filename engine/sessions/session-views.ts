import { z } from 'zod';
import type { SessionParticipant, SupportSessionRecord } from '../contracts/storage-contract.js';

const STATES = ['waiting', 'active', 'on-hold', 'transferred', 'closed'] as const;

/** A session as lists show it: never its GUID, code or any secret. */
export const SessionItem = z.object({
  id: z.string(),
  state: z.enum(STATES),
  closeReason: z.string().optional(),
  ownerMemberId: z.string().optional(),
  groupId: z.string().optional(),
  endUserName: z.string().optional(),
  joinCodeExpiresAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().optional(),
});

/** A session in detail; `sessionId` (the GUID) only for its owner and collaborators. */
export const SessionDetail = SessionItem.extend({
  sessionId: z.string().optional(),
  relayedBytes: z.number(),
  consent: z.record(z.string(), z.enum(['granted', 'denied', 'revoked'])),
  participants: z.array(
    z.object({
      id: z.string(),
      role: z.enum(['technician', 'end-user']),
      kind: z.enum(['owner', 'collaborator', 'end-user']),
      memberId: z.string().optional(),
      joinedAt: z.iso.datetime().optional(),
      leftAt: z.iso.datetime().optional(),
    }),
  ),
});

/** The state values, for query filters. */
export const SessionStateEnum = z.enum(STATES);

const iso = (date: Date | undefined) => (date ? date.toISOString() : undefined);

function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The list view of a session. */
export function itemView(session: SupportSessionRecord): z.output<typeof SessionItem> {
  return defined({
    id: session.ref,
    state: session.state,
    closeReason: session.closeReason,
    ownerMemberId: session.ownerMemberId,
    groupId: session.groupId,
    endUserName: session.endUserName,
    joinCodeExpiresAt: session.hasLiveCode ? iso(session.joinCodeExpiresAt) : undefined,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    endedAt: iso(session.endedAt),
  });
}

/** The detail view; the GUID only when `withGuid`. */
export function detailView(
  session: SupportSessionRecord,
  participants: readonly SessionParticipant[],
  withGuid: boolean,
): z.output<typeof SessionDetail> {
  return {
    ...itemView(session),
    ...(withGuid ? { sessionId: session.guid } : {}),
    relayedBytes: session.relayedBytes,
    consent: { ...session.consent },
    participants: participants.map((p) =>
      defined({
        id: p.id,
        role: p.role,
        kind: p.kind,
        memberId: p.memberId,
        joinedAt: iso(p.joinedAt),
        leftAt: iso(p.leftAt),
      }),
    ),
  };
}
