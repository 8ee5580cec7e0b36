import { api } from '../shared/api-client.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { shownTime } from './period.js';
import { TextOf, type ChatMessage } from './chat-message.js';
import { useLoad } from './use-load.js';

/** One session's whole chat, in order (up to 500 messages). */
export function SessionTranscript(props: {
  readonly sessionRef: string;
  readonly directory: Directory;
  readonly onClose: () => void;
}) {
  const loaded = useLoad(
    () =>
      api<{ items: ChatMessage[] }>(
        `/api/v1/plugins/chat/sessions/${encodeURIComponent(props.sessionRef)}` +
          '/transcript?limit=500',
      ),
    [props.sessionRef],
  );
  return (
    <div
      class="card session-transcript"
      aria-label={`Transcript of session ${props.sessionRef}`}
      role="region"
    >
      <div class="row">
        <h2>
          Session <code>{props.sessionRef}</code>
        </h2>
        <span class="spacer" />
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <ErrorNote error={loaded.error} />
      <ol class="chat-log">
        {(loaded.data?.items ?? []).map((m) => (
          <li key={m.id} class={m.from}>
            <span class="chat-who">
              {m.from === 'technician'
                ? (props.directory.memberName(m.storedBy) ?? 'Technician')
                : 'End user'}
            </span>{' '}
            <span class="muted">{shownTime(m.sentAt)}</span>
            <div>
              <TextOf message={m} />
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
