import { useEffect, useRef } from 'preact/hooks';
import type { SessionClosed } from '../../../../sdk/session/browser.js';
import { endWords } from './end-reason.js';

/** The end of the session, said plainly, with a way to join another one. */
export function EndedScreen({ closed }: { closed: SessionClosed }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const words = endWords(closed);
  return (
    <main class="join-shell">
      <section class="card stack ended" aria-labelledby="ended-title">
        <h1 id="ended-title" tabIndex={-1} ref={heading} class={words.normal ? '' : 'error'}>
          {words.title}
        </h1>
        <p>{words.detail}</p>
        <p>
          <a class="button" href="/join/">
            Join another session
          </a>
        </p>
      </section>
    </main>
  );
}
