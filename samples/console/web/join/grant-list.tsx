import type { Grant } from './join-session.js';
import type { PanelCatalog } from './panel-catalog.js';
import { technicianName } from './technician-name.js';

interface GrantListProps {
  readonly grants: readonly Grant[];
  readonly catalog: PanelCatalog;
  readonly onRevoke: (permission: string) => void;
}

/** What the technicians may do now, each with a Revoke button. */
export function GrantList({ grants, catalog, onRevoke }: GrantListProps) {
  return (
    <section class="grants" aria-labelledby="grants-title">
      <h2 id="grants-title">Allowed now</h2>
      {grants.length === 0 ? (
        <p class="muted">Nothing beyond chat. You are asked before anything else.</p>
      ) : (
        <ul class="grant-list">
          {grants.map(({ permission, technician }) => (
            <li key={`${technician.participantId} ${permission}`} class="grant">
              <span>
                <strong>{catalog.titleOf(permission)}</strong>
                <span class="muted"> for {technicianName(technician)}</span>
              </span>
              <button
                type="button"
                class="danger"
                aria-label={`Revoke ${catalog.titleOf(permission)}`}
                onClick={() => onRevoke(permission)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
