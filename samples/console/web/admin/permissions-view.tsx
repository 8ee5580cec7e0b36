import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { PermissionEditor, type Cell } from './permission-editor.js';
import { describeCell, type CatalogueEntry, type Effective } from './permission-cell.js';
import { LockIcon } from './lock-icon.js';
import { useLoad } from './use-load.js';

/** The permission matrix: every catalogue permission (rows) for every group (columns). */
export function PermissionsView(props: { readonly directory: Directory }) {
  const { directory } = props;
  const [cell, setCell] = useState<Cell>();
  const loaded = useLoad(async () => {
    const catalogue = (await api<{ items: CatalogueEntry[] }>('/api/v1/permissions')).items;
    const rows = await Promise.all(
      directory.placed.map(async (group) => {
        const path = `/api/v1/groups/${group.id}/permissions`;
        const items = (await api<{ items: Effective[] }>(path)).items;
        return [group.id, new Map(items.map((item) => [item.permission, item]))] as const;
      }),
    );
    return { catalogue, byGroup: new Map(rows) };
  }, [directory.groups]);

  if (directory.placed.length === 0) {
    return (
      <section class="stack">
        <h1>Permissions</h1>
        <p class="card muted">Make a group first: permissions are set per group.</p>
      </section>
    );
  }
  const data = loaded.data;
  return (
    <section aria-labelledby="permissions-title" class="stack">
      <h1 id="permissions-title">Permissions</h1>
      <p class="muted">
        A group inherits what the group above it allows unless it says otherwise. A lock, set by a
        master administrator, keeps administrators from changing it there and below.
      </p>
      <ErrorNote error={loaded.error} />
      {cell && data ? (
        <PermissionEditor
          key={`${cell.groupId}/${cell.permission.id}`}
          cell={cell}
          effective={data.byGroup.get(cell.groupId)?.get(cell.permission.id)}
          directory={directory}
          onSaved={loaded.reload}
          onClose={() => setCell(undefined)}
        />
      ) : null}
      {data ? (
        <div class="table-scroll card">
          <table class="matrix">
            <caption class="visually-hidden">Permissions by group</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                {directory.placed.map((group) => (
                  <th scope="col" key={group.id} title={group.path}>
                    {group.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.catalogue.map((permission) => (
                <tr key={permission.id}>
                  <th scope="row">
                    {permission.title}
                    <span class="muted perm-id">{permission.id}</span>
                  </th>
                  {directory.placed.map((group) => {
                    const effective = data.byGroup.get(group.id)?.get(permission.id);
                    if (!effective) return <td key={group.id} />;
                    const words = describeCell(effective, directory);
                    const classes = [
                      'cell',
                      effective.allowed ? 'allowed' : 'denied',
                      effective.own === null ? 'inherited' : 'own',
                    ];
                    return (
                      <td key={group.id}>
                        <button
                          type="button"
                          class={classes.join(' ')}
                          aria-label={`${permission.title} in ${group.name}: ${words}`}
                          title={words}
                          aria-pressed={
                            cell?.groupId === group.id && cell.permission.id === permission.id
                          }
                          onClick={() => setCell({ groupId: group.id, permission })}
                        >
                          {effective.allowed ? '✓' : '✕'}
                          {effective.lockedBy ? <LockIcon /> : null}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p class="muted legend">
        ✓ allowed · ✕ denied · bold: set in that group, faint: inherited · <LockIcon /> locked
      </p>
    </section>
  );
}
