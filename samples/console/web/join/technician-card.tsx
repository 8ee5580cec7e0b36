import type { JoinSnapshot } from './join-session.js';
import { groupedSas, technicianName } from './technician-name.js';

/**
 * Who helps: a waiting notice until a technician's certificate arrives, then each technician's
 * verified name and the security code to compare with what they read out.
 */
export function TechnicianCard({ snapshot }: { snapshot: JoinSnapshot }) {
  const { technicians, state, connection } = snapshot;
  return (
    <section class="technicians" aria-labelledby="technicians-title">
      <h2 id="technicians-title">Your technician</h2>
      {technicians.length === 0 ? (
        <div class="waiting notice">
          <span class="spinner" aria-hidden="true" />
          {connection === 'connected' ? (
            <div>
              <strong>Waiting for your technician…</strong>
              <p class="muted">Keep this page open: they will be with you shortly.</p>
            </div>
          ) : (
            <div>
              <strong>Connecting securely…</strong>
              <p class="muted">Setting up an encrypted connection to your technician.</p>
            </div>
          )}
        </div>
      ) : (
        technicians.map((technician) => (
          <div class="technician" key={technician.participantId}>
            <p class="technician-name">
              <strong>{technicianName(technician)}</strong>
              {!technician.connected && <span class="muted"> (connection lost)</span>}
            </p>
            <p class="sas-line">
              Security code <span class="sas code">{groupedSas(technician.sas)}</span>
            </p>
            <p class="muted sas-help">
              Your technician sees the same code. If the code they read to you is different, end the
              session.
            </p>
          </div>
        ))
      )}
      {state === 'on-hold' && (
        <p class="notice warn">
          On hold: nothing you allowed is used until your technician resumes.
        </p>
      )}
      {state === 'transferred' && (
        <p class="notice">Your session is being handed to another technician.</p>
      )}
      {connection === 'reconnecting' && (
        <p class="notice warn">The connection dropped. Reconnecting; nothing is lost.</p>
      )}
    </section>
  );
}
