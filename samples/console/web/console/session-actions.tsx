import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { loadDirectory, type Directory } from './directory.js';
import { useAction } from './use-action.js';

interface ActionProps {
  readonly sessionRef: string;
  readonly state: string | undefined;
  readonly ended: boolean;
}

type Handing = 'transfer-member' | 'transfer-group' | 'invite';

const HANDING_LABELS: Readonly<Record<Handing, string>> = {
  'transfer-member': 'Transfer to a technician',
  'transfer-group': "Transfer to a group's queue",
  invite: 'Invite a collaborator',
};

/** Picks the technician or group from the colleagues list; by id when the list is empty. */
function TargetField({ handing, directory }: { handing: Handing; directory?: Directory }) {
  const list = handing === 'transfer-group' ? directory?.groups : directory?.members;
  const label = handing === 'transfer-group' ? 'Group' : 'Technician';
  if (list && list.length > 0) {
    return (
      <div>
        <label for="target">{label}</label>
        <select id="target" name="target" required>
          {list.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
    );
  }
  return (
    <div>
      <label for="target">{label} id</label>
      <input id="target" name="target" required pattern="[0-9a-fA-F-]{36}" size={38} />
    </div>
  );
}

/** Hold, resume, transfer, invite and end: the owner's moves, each one API call. */
export function SessionActions({ sessionRef, state, ended }: ActionProps) {
  const [handing, setHanding] = useState<Handing>();
  const [directory, setDirectory] = useState<Directory>();
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();
  const post = (action: string, body?: unknown) =>
    api(`/api/v1/sessions/${encodeURIComponent(sessionRef)}/${action}`, { method: 'POST', body });

  const open = (next: Handing) =>
    run(async () => {
      setHanding(next);
      setDirectory(directory ?? (await loadDirectory()));
    });
  const hand = (event: Event) => {
    event.preventDefault();
    const target = new FormData(event.currentTarget as HTMLFormElement).get('target');
    if (handing === undefined || typeof target !== 'string') return;
    void run(async () => {
      if (handing === 'invite') await post('collaborators', { memberId: target });
      else if (handing === 'transfer-group') await post('transfer', { groupId: target });
      else await post('transfer', { memberId: target });
      setDone(handing === 'invite' ? 'Invited.' : 'Transferred.');
      setHanding(undefined);
    });
  };
  if (ended) return null;

  return (
    <div class="stack">
      <div class="row" role="group" aria-label="Session actions">
        {state === 'on-hold' ? (
          <button type="button" disabled={busy} onClick={() => void run(() => post('resume'))}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            disabled={busy || state !== 'active'}
            onClick={() => void run(() => post('hold'))}
          >
            Hold
          </button>
        )}
        {(Object.keys(HANDING_LABELS) as Handing[]).map((key) => (
          <button key={key} type="button" disabled={busy} onClick={() => void open(key)}>
            {HANDING_LABELS[key]}…
          </button>
        ))}
        <span class="spacer" />
        <button
          class="danger"
          type="button"
          disabled={busy}
          onClick={() => void run(() => post('end', {}))}
        >
          End session
        </button>
      </div>
      {handing && (
        <form class="row hand-form" onSubmit={hand} aria-label={HANDING_LABELS[handing]}>
          <TargetField handing={handing} directory={directory} />
          <button class="primary" type="submit" disabled={busy}>
            {handing === 'invite' ? 'Invite' : 'Transfer'}
          </button>
          <button type="button" onClick={() => setHanding(undefined)}>
            Cancel
          </button>
        </form>
      )}
      {done && <p role="status">{done}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
