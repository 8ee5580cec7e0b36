import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

/** A button for a destructive action that asks first, in a modal dialog. */
export interface ConfirmButtonProps {
  /** The question, such as "Delete the group Helpdesk?". */
  readonly question: string;
  /** What happens, said plainly below the question. */
  readonly detail?: string;
  /** The confirming button's words, such as "Delete group". */
  readonly confirm: string;
  readonly onConfirm: () => void | Promise<void>;
  readonly children: ComponentChildren;
  readonly disabled?: boolean;
  readonly danger?: boolean;
  readonly label?: string;
}

/**
 * Opens a native `<dialog>` (focus kept inside, Escape cancels) and runs `onConfirm` only when
 * the administrator says yes. Focus starts on Cancel, so Enter alone never destroys anything.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const close = () => dialog.current?.close();
  const yes = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      close();
    }
  };
  return (
    <>
      <button
        type="button"
        class={props.danger === false ? '' : 'danger'}
        disabled={props.disabled}
        aria-label={props.label}
        onClick={() => dialog.current?.showModal()}
      >
        {props.children}
      </button>
      <dialog ref={dialog} class="confirm" aria-label={props.question}>
        <p class="confirm-question">{props.question}</p>
        {props.detail ? <p class="muted">{props.detail}</p> : null}
        <div class="row end">
          <button type="button" autofocus onClick={close}>
            Cancel
          </button>
          <button type="button" class="danger" disabled={busy} onClick={yes}>
            {props.confirm}
          </button>
        </div>
      </dialog>
    </>
  );
}
