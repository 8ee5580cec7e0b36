import type { PanelEntry, PanelPermission } from './console-types.js';
import type { ConsentStatus, LiveSession, LiveSnapshot } from './live-session.js';

const STATUS_WORDS: Readonly<Record<ConsentStatus, string>> = {
  asking: 'Asking…',
  granted: 'Granted',
  denied: 'Denied',
  revoked: 'Withdrawn',
  failed: 'No answer',
};

/**
 * The permissions I may ask this end user for: those the plugins declare with a consent
 * prompt, narrowed to those my signed certificate carries (the end user's side refuses the
 * rest without asking). Each shows where it stands and can be asked (again).
 */
export function ConsentList(props: {
  live: LiveSession;
  snapshot: LiveSnapshot;
  panels: readonly PanelEntry[];
}) {
  const { live, snapshot, panels } = props;
  const mine = new Set(snapshot.myPermissions);
  const askable: PanelPermission[] = panels
    .flatMap((panel) => panel.permissions)
    .filter((p) => p.consentPrompt !== undefined && mine.has(p.id));
  const canAsk =
    snapshot.phase === 'ready' &&
    snapshot.endUser?.connected === true &&
    snapshot.state === 'active';

  if (askable.length === 0) {
    return <p class="muted">Your group grants no permission that needs the customer's consent.</p>;
  }
  return (
    <table class="consent-table">
      <caption class="visually-hidden">Permissions and the customer's consent</caption>
      <thead>
        <tr>
          <th scope="col">Permission</th>
          <th scope="col">Customer's answer</th>
          <th scope="col">
            <span class="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {askable.map((permission) => {
          const status = snapshot.consent[permission.id];
          return (
            <tr key={permission.id} data-permission={permission.id}>
              <td>{permission.title}</td>
              <td class={`consent-${status ?? 'none'}`}>
                {status ? STATUS_WORDS[status] : 'Not asked'}
              </td>
              <td>
                <button
                  type="button"
                  disabled={!canAsk || status === 'asking' || status === 'granted'}
                  onClick={() => void live.ask(permission.id, permission.consentPrompt!)}
                >
                  Ask for {permission.title}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
