import { api, ApiError } from '../shared/api-client.js';

/** Someone or somewhere a session can go: a technician or a group. */
export interface Target {
  readonly id: string;
  readonly name: string;
}

/** Technicians and groups the caller may see, where the engine lets them read those lists. */
export interface Directory {
  readonly members?: readonly Target[];
  readonly groups?: readonly Target[];
}

async function readable<T>(path: string): Promise<T | undefined> {
  try {
    return await api<T>(path);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The lists of members and groups for transfers and invitations. Administrators read them;
 * a technician reads neither, and types the id a colleague gave instead.
 */
export async function loadDirectory(selfId: string): Promise<Directory> {
  // TODO(#console): technicians need a directory of the colleagues and queues they may hand a
  // session to; the engine has no technician-readable route for it yet.
  type Members = { items: { id: string; displayName: string; email: string; role: string }[] };
  type Groups = { items: { id: string; name: string }[] };
  const [members, groups] = await Promise.all([
    readable<Members>('/api/v1/members?limit=500'),
    readable<Groups>('/api/v1/groups'),
  ]);
  return {
    ...(members && {
      members: members.items
        .filter((m) => m.id !== selfId)
        .map((m) => ({ id: m.id, name: `${m.displayName} (${m.email})` })),
    }),
    ...(groups && { groups: groups.items.map((g) => ({ id: g.id, name: g.name })) }),
  };
}
