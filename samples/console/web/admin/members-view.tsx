import { useState } from 'preact/hooks';
import { ROLE_TITLES, type Member } from './directory.js';
import type { Directory } from './directory-context.js';
import { MemberEditor } from './member-editor.js';
import { NewMemberForm } from './new-member-form.js';

function statusOf(member: Member): string {
  if (member.disabled) return 'Disabled';
  return member.locked ? 'Locked' : 'Active';
}

/** Technicians and administrators in reach: the list, a new one, and one member's editor. */
export function MembersView(props: { readonly directory: Directory }) {
  const { directory } = props;
  const [selected, setSelected] = useState<string>();
  const [groupFilter, setGroupFilter] = useState('');
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = directory.members.filter(
    (m) =>
      (groupFilter === '' || m.groupId === groupFilter) &&
      (needle === '' || `${m.displayName} ${m.email}`.toLowerCase().includes(needle)),
  );
  const member = directory.members.find((m) => m.id === selected);
  return (
    <section aria-labelledby="members-title" class="stack">
      <h1 id="members-title">Technicians</h1>
      <div class="split wide-left">
        <div class="card stack">
          <div class="row filters">
            <label class="inline" for="members-search">
              Find
            </label>
            <input
              id="members-search"
              type="search"
              placeholder="Name or e-mail"
              value={search}
              onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)}
            />
            <label class="inline" for="members-group">
              Group
            </label>
            <select
              id="members-group"
              value={groupFilter}
              onChange={(e) => setGroupFilter((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">All groups</option>
              {directory.placed.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.path}
                </option>
              ))}
            </select>
          </div>
          <div class="table-scroll">
            <table class="members">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Group</th>
                  <th scope="col">Status</th>
                  <th scope="col">SSO ID</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => (
                  <tr key={m.id} class={m.id === selected ? 'selected' : ''}>
                    <td>
                      <button type="button" class="link" onClick={() => setSelected(m.id)}>
                        {m.displayName}
                      </button>
                    </td>
                    <td>{m.email}</td>
                    <td>{ROLE_TITLES[m.role] ?? m.role}</td>
                    <td>{m.groupId ? (directory.groupName(m.groupId) ?? '') : '—'}</td>
                    <td>
                      <span class={`status ${statusOf(m).toLowerCase()}`}>{statusOf(m)}</span>
                    </td>
                    <td>
                      {m.ssoId ?? ''}
                      {m.ssoDisabled ? <span class="muted"> (off)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length === 0 ? <p class="muted">Nobody matches.</p> : null}
        </div>
        <div class="stack">
          {member ? (
            <MemberEditor key={member.id} member={member} directory={directory} />
          ) : (
            <NewMemberForm directory={directory} onMade={setSelected} />
          )}
          {member ? (
            <button type="button" onClick={() => setSelected(undefined)}>
              New technician…
            </button>
          ) : null}
        </div>
      </div>
    </section>
  );
}
