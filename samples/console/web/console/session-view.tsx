import { useEffect } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { PanelEntry, SessionItem } from './console-types.js';
import { ConsentList } from './consent-list.js';
import { CopyButton } from './copy-button.js';
import type { LiveSnapshot } from './live-session.js';
import { PanelArea } from './panel-area.js';
import { SessionActions } from './session-actions.js';
import { endedLabel, groupDigits, stateLabel, type SessionEntry } from './session-entry.js';
import { useSnapshot } from './use-snapshot.js';

/** The join code and link for the customer, big, with copy buttons. */
function GiveToCustomer({ entry }: { entry: SessionEntry }) {
  const made = entry.created!;
  const expires = new Date(made.joinCodeExpiresAt).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <section class="card give" aria-labelledby={`give-${entry.ref}`}>
      <h2 id={`give-${entry.ref}`}>Give this to the customer</h2>
      <div class="give-grid">
        <div>
          <span class="muted">Code</span>
          <div class="row">
            <span class="code join-code" data-testid="join-code">
              {made.joinCode}
            </span>
            <CopyButton text={made.joinCode} label="Copy the code" />
          </div>
        </div>
        <div>
          <span class="muted">They open</span>
          <div class="row">
            <a href={made.joinUrl} class="join-link" target="_blank" rel="noopener noreferrer">
              {made.joinUrl}
            </a>
            <CopyButton text={made.joinUrl} label="Copy the link" />
          </div>
        </div>
      </div>
      <p class="muted">The code works once, until {expires}.</p>
    </section>
  );
}

/** Who is in the session, with the security code to read to the customer. */
function People({ snapshot }: { snapshot: LiveSnapshot }) {
  const { endUser, technicians } = snapshot;
  return (
    <section class="card people" aria-label="People">
      {endUser ? (
        <div class="sas">
          <span class="muted">Security code — read it to the customer; theirs must match</span>
          <span class="code" data-testid="sas">
            {groupDigits(endUser.sas)}
          </span>
          <span class={endUser.connected ? 'presence on' : 'presence off'}>
            {endUser.connected ? 'Customer connected' : 'Customer disconnected'}
          </span>
        </div>
      ) : (
        <p class="muted">The customer has not connected yet.</p>
      )}
      {technicians.length > 0 && (
        <p class="muted">
          Also here: {technicians.length} other technician{technicians.length > 1 ? 's' : ''}
        </p>
      )}
    </section>
  );
}

interface ViewProps {
  readonly entry: SessionEntry;
  readonly panels: readonly PanelEntry[];
  readonly hidden: boolean;
  readonly onClose: (ref: string) => void;
  /** The customer's name as the session now holds it (they may type their own at the join). */
  readonly onName: (ref: string, name: string) => void;
}

/** One session: the customer, the security code, actions, consent and the plugins' panels. */
export function SessionView({ entry, panels, hidden, onClose, onName }: ViewProps) {
  const snapshot = useSnapshot(entry.live);
  const customer = snapshot?.endUser?.participantId;
  useEffect(() => {
    if (customer === undefined) return;
    void api<SessionItem>(`/api/v1/sessions/${encodeURIComponent(entry.ref)}`).then(
      (detail) => detail.endUserName && onName(entry.ref, detail.endUserName),
      // The name is a courtesy: the view keeps the one it had when the read fails.
      () => undefined,
    );
  }, [customer]);
  const ended = snapshot?.phase === 'ended';
  const state = ended ? 'closed' : snapshot?.state;
  const title = entry.endUserName ?? 'Customer';

  return (
    <article class="session stack" hidden={hidden} aria-labelledby={`title-${entry.ref}`}>
      <header class="session-head row">
        <h1 id={`title-${entry.ref}`}>{title}</h1>
        <span class={`state state-${state ?? 'connecting'}`} data-testid="session-state">
          {snapshot?.phase === 'reconnecting' ? 'Reconnecting…' : stateLabel(state)}
        </span>
        <span class="muted">{entry.ref}</span>
        <span class="spacer" />
        {ended && (
          <button type="button" onClick={() => onClose(entry.ref)}>
            Close this tab
          </button>
        )}
      </header>
      {entry.error && (
        <p class="error" role="alert">
          {entry.error}
        </p>
      )}
      {snapshot?.ended && (
        <p class="notice" role="status">
          {endedLabel(snapshot.ended)}
        </p>
      )}
      {entry.created && !snapshot?.endUser && !ended && <GiveToCustomer entry={entry} />}
      {snapshot && !ended && <People snapshot={snapshot} />}
      {entry.live && snapshot && (
        <>
          <SessionActions sessionRef={entry.ref} state={state} ended={ended} />
          <section class="card" aria-labelledby={`consent-${entry.ref}`}>
            <h2 id={`consent-${entry.ref}`}>Permissions</h2>
            <ConsentList live={entry.live} snapshot={snapshot} panels={panels} />
          </section>
          <PanelArea live={entry.live} panels={panels} />
        </>
      )}
    </article>
  );
}
