import { useEffect, useRef } from 'preact/hooks';

/** How the end user takes part: chat in this page, or the applet for more than chat. */
export type JoinWay = 'browser' | 'applet';

interface JoinChoiceProps {
  readonly name: string;
  readonly busy: JoinWay | undefined;
  readonly onChoose: (way: JoinWay) => void;
  readonly onBack: () => void;
}

/** The second step: chat right here, or download the applet for this session. */
export function JoinChoice({ name, busy, onChoose, onBack }: JoinChoiceProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card stack join-choice" aria-labelledby="choice-title" aria-busy={!!busy}>
      <h1 id="choice-title" tabIndex={-1} ref={heading}>
        How would you like to get help, {name}?
      </h1>
      <button
        type="button"
        class="choice primary"
        disabled={busy !== undefined}
        onClick={() => onChoose('browser')}
      >
        <span class="choice-title">{busy === 'browser' ? 'Joining…' : 'Chat in this browser'}</span>
        <span class="choice-detail">Nothing to install. Start right away.</span>
      </button>
      <button
        type="button"
        class="choice"
        disabled={busy !== undefined}
        onClick={() => onChoose('applet')}
      >
        <span class="choice-title">
          {busy === 'applet' ? 'Preparing…' : 'Download the support applet'}
        </span>
        <span class="choice-detail">
          A small program for this session only, for help beyond chat.
        </span>
      </button>
      <p>
        <button type="button" class="link-button" disabled={busy !== undefined} onClick={onBack}>
          Back: change the code or name
        </button>
      </p>
    </section>
  );
}
