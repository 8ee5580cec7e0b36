import { api } from '../shared/api-client.js';

/** Someone or somewhere a session can go: a technician or a group. */
export interface Target {
  readonly id: string;
  readonly name: string;
}

/** Technicians and groups a session can be handed to or shared with. */
export interface Directory {
  readonly members: readonly Target[];
  readonly groups: readonly Target[];
}

interface Colleagues {
  readonly technicians: readonly { id: string; displayName: string; groupId?: string }[];
  readonly groups: readonly { id: string; name: string }[];
}

/**
 * The colleagues and queues for transfers and invitations (`GET /api/v1/colleagues`, which
 * every technician may read), each colleague named with their group.
 */
export async function loadDirectory(): Promise<Directory> {
  const { technicians, groups } = await api<Colleagues>('/api/v1/colleagues');
  const groupName = new Map(groups.map((group) => [group.id, group.name]));
  const named = (id: string, name: string, groupId?: string) => {
    const group = groupId === undefined ? undefined : groupName.get(groupId);
    return { id, name: group === undefined ? name : `${name} (${group})` };
  };
  return {
    members: technicians.map((t) => named(t.id, t.displayName, t.groupId)),
    groups: groups.map((group) => ({ id: group.id, name: group.name })),
  };
}
