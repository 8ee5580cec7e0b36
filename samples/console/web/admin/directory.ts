import { api } from '../shared/api-client.js';

/** A technician group as `GET /api/v1/groups` gives it. */
export interface Group {
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly ipAllowList?: readonly string[];
}

/** A member as the member routes give it. */
export interface Member {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: string;
  readonly groupId?: string;
  readonly disabled: boolean;
  readonly locked: boolean;
  readonly ssoId?: string;
  readonly ssoDisabled: boolean;
}

/** The signed-in administrator. */
export interface Me {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: string;
}

/** A group placed in the tree: how deep it sits and the path of names down to it. */
export interface PlacedGroup extends Group {
  readonly depth: number;
  readonly path: string;
}

/** The roles that manage the whole tenant. */
export const MASTER_ROLES = ['master-account-holder', 'master-administrator'];
/** The roles that may use the admin center at all. */
export const ADMIN_ROLES = [...MASTER_ROLES, 'administrator'];

export const ROLE_TITLES: Readonly<Record<string, string>> = {
  'master-account-holder': 'Master account holder',
  'master-administrator': 'Master administrator',
  administrator: 'Administrator',
  technician: 'Technician',
};

/** Whether `role` manages the whole tenant. */
export const isMaster = (role: string) => MASTER_ROLES.includes(role);

/**
 * The groups in tree order, depth first, siblings by name. A group whose parent is out of the
 * caller's reach sits at the top, as the caller sees the tree.
 */
export function placeGroups(groups: readonly Group[]): PlacedGroup[] {
  const known = new Set(groups.map((group) => group.id));
  const children = new Map<string | undefined, Group[]>();
  for (const group of groups) {
    const parent = group.parentId && known.has(group.parentId) ? group.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), group]);
  }
  const placed: PlacedGroup[] = [];
  const visit = (parent: string | undefined, depth: number, path: string) => {
    const here = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const group of here) {
      const groupPath = path ? `${path} / ${group.name}` : group.name;
      placed.push({ ...group, depth, path: groupPath });
      if (depth < 50) visit(group.id, depth + 1, groupPath);
    }
  };
  visit(undefined, 0, '');
  return placed;
}

/** The group and every group below it. */
export function subtreeOf(groups: readonly Group[], rootId: string): Set<string> {
  const found = new Set([rootId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const group of groups) {
      if (group.parentId && found.has(group.parentId) && !found.has(group.id)) {
        found.add(group.id);
        grew = true;
      }
    }
  }
  return found;
}

/** Every member the caller manages, following the pages (at most 20 of 500). */
export async function loadMembers(): Promise<Member[]> {
  const members: Member[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const query = new URLSearchParams({ limit: '500', ...(after ? { after } : {}) });
    const answer = await api<{ items: Member[]; next?: string }>(`/api/v1/members?${query}`);
    members.push(...answer.items);
    if (!answer.next) break;
    after = answer.next;
  }
  return members;
}

/** Every group the caller reaches. */
export async function loadGroups(): Promise<Group[]> {
  return (await api<{ items: Group[] }>('/api/v1/groups')).items;
}
