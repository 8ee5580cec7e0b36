import { useEffect, useState } from 'preact/hooks';
import { AuditView } from './audit-view.js';
import {
  isMaster,
  loadGroups,
  loadMembers,
  placeGroups,
  ROLE_TITLES,
  type Me,
} from './directory.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { GroupsView } from './groups-view.js';
import { MembersView } from './members-view.js';
import { PermissionsView } from './permissions-view.js';
import { PolicyView } from './policy-view.js';
import { TranscriptsView } from './transcripts-view.js';
import { useLoad } from './use-load.js';

interface Section {
  readonly id: string;
  readonly title: string;
  /** Only master roles see it (the engine answers them alone). */
  readonly masterOnly?: boolean;
}

const SECTIONS: readonly Section[] = [
  { id: 'groups', title: 'Organisation' },
  { id: 'permissions', title: 'Permissions' },
  { id: 'members', title: 'Technicians' },
  { id: 'policy', title: 'Policies', masterOnly: true },
  { id: 'audit', title: 'Audit report' },
  { id: 'transcripts', title: 'Chat transcripts', masterOnly: true },
];

function sectionFromHash(sections: readonly Section[]): string {
  const wanted = location.hash.replace(/^#/, '');
  return sections.some((section) => section.id === wanted) ? wanted : 'groups';
}

/** The signed-in admin center: top bar, the sections, and the directory they share. */
export function AdminShell(props: { readonly me: Me; readonly onSignOut: () => void }) {
  const master = isMaster(props.me.role);
  const sections = SECTIONS.filter((section) => master || !section.masterOnly);
  const [section, setSection] = useState(() => sectionFromHash(sections));
  const loaded = useLoad(async () => {
    const [groups, members] = await Promise.all([loadGroups(), loadMembers()]);
    return { groups, members };
  }, []);

  useEffect(() => {
    const follow = () => setSection(sectionFromHash(sections));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    document.title = `${sections.find((s) => s.id === section)?.title ?? ''} · Tether admin center`;
  }, [section]);

  const groups = loaded.data?.groups ?? [];
  const members = loaded.data?.members ?? [];
  const directory: Directory = {
    me: props.me,
    master,
    groups,
    placed: placeGroups(groups),
    members,
    reload: loaded.reload,
    groupName: (id) => groups.find((g) => g.id === id)?.name,
    memberName: (id) =>
      id === props.me.id ? props.me.displayName : members.find((m) => m.id === id)?.displayName,
  };
  return (
    <>
      <header class="topbar">
        <span class="brand">Tether admin center</span>
        <span class="spacer" />
        <span class="who">
          {props.me.displayName} · {props.me.email} · {ROLE_TITLES[props.me.role] ?? props.me.role}
        </span>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <div class="admin-layout">
        <nav class="admin-nav" aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}`} aria-current={s.id === section ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main class="admin-main" id="main">
          <ErrorNote error={loaded.error} />
          {loaded.data ? <SectionBody id={section} directory={directory} /> : null}
          {!loaded.data && !loaded.error ? <p class="muted">Loading…</p> : null}
        </main>
      </div>
    </>
  );
}

function SectionBody(props: { readonly id: string; readonly directory: Directory }) {
  switch (props.id) {
    case 'permissions':
      return <PermissionsView directory={props.directory} />;
    case 'members':
      return <MembersView directory={props.directory} />;
    case 'policy':
      return <PolicyView />;
    case 'audit':
      return <AuditView directory={props.directory} />;
    case 'transcripts':
      return <TranscriptsView directory={props.directory} />;
    default:
      return <GroupsView directory={props.directory} />;
  }
}
