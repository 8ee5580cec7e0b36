import { useEffect, useRef } from 'preact/hooks';
import type { ConsentAsk } from './join-session.js';
import type { PanelCatalog } from './panel-catalog.js';
import { technicianName } from './technician-name.js';

interface ConsentDialogProps {
  readonly ask: ConsentAsk;
  readonly catalog: PanelCatalog;
  readonly onAnswer: (yes: boolean) => void;
  /** The page behind the dialog is inert, so ending the session is offered here too. */
  readonly onEnd: () => void;
}

/**
 * The consent prompt: a modal dialog (the page behind it is inert) that says in the plugin's
 * own declared words what the technician will be able to do, names the technician from their
 * verified certificate, and shows the technician's own note only as theirs. Focus moves to its
 * heading; Escape denies.
 */
export function ConsentDialog({ ask, catalog, onAnswer, onEnd }: ConsentDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (!element.open) element.showModal();
    heading.current?.focus();
    return () => element.open && element.close();
  }, [ask]);

  const technician = ask.kind === 'one' ? ask.question.technician : ask.technician;
  const name = technicianName(technician);
  return (
    <dialog
      ref={dialog}
      class="consent-dialog"
      aria-labelledby="consent-title"
      aria-describedby="consent-what"
      onCancel={(event) => {
        event.preventDefault();
        onAnswer(false);
      }}
    >
      <h2 id="consent-title" tabIndex={-1} ref={heading}>
        {name} asks for your permission
      </h2>
      {ask.kind === 'one' ? (
        <OneQuestion ask={ask} catalog={catalog} />
      ) : (
        <AllQuestion ask={ask} catalog={catalog} />
      )}
      <p class="muted consent-note">
        You can withdraw this at any time under “Allowed now”, and ending the session withdraws
        everything.
      </p>
      <div class="row consent-buttons">
        <button type="button" class="primary" onClick={() => onAnswer(true)}>
          {ask.kind === 'one' ? 'Allow' : 'Allow all'}
        </button>
        <button type="button" onClick={() => onAnswer(false)}>
          {ask.kind === 'one' ? 'Deny' : 'Ask me each time'}
        </button>
      </div>
      <p class="consent-end">
        <button type="button" class="link-button" onClick={onEnd}>
          End the session instead
        </button>
      </p>
    </dialog>
  );
}

function OneQuestion({
  ask,
  catalog,
}: {
  ask: ConsentAsk & { kind: 'one' };
  catalog: PanelCatalog;
}) {
  const { permission, prompt } = ask.question;
  const declared = catalog.promptOf(permission);
  return (
    <div id="consent-what">
      <p class="consent-prompt">
        {declared ?? `Allow the technician to use “${catalog.titleOf(permission)}”?`}
      </p>
      <p class="muted">
        Permission: {catalog.titleOf(permission)} <span class="permission-id">({permission})</span>
      </p>
      {prompt.trim() !== '' && (
        <blockquote class="technician-note">
          <span class="muted">Your technician’s note:</span> {prompt}
        </blockquote>
      )}
    </div>
  );
}

function AllQuestion({
  ask,
  catalog,
}: {
  ask: ConsentAsk & { kind: 'all' };
  catalog: PanelCatalog;
}) {
  // Permissions no active plugin declares (built-in ones such as chat) have no words of their
  // own here: they are named by id, apart, so the list never hides what Allow all grants.
  const declared = ask.permissions.filter((permission) => catalog.promptOf(permission));
  const others = ask.permissions.filter((permission) => !catalog.promptOf(permission));
  return (
    <div id="consent-what">
      <p class="consent-prompt">Allow all of this for the rest of this session?</p>
      <ul class="consent-list">
        {declared.map((permission) => (
          <li key={permission}>
            <strong>{catalog.titleOf(permission)}</strong>: {catalog.promptOf(permission)}
          </li>
        ))}
      </ul>
      {others.length > 0 && <p class="muted">Also: {others.join(', ')}.</p>}
      <p class="muted">If you choose “Ask me each time”, you are asked before each of these.</p>
    </div>
  );
}
