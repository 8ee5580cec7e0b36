/**
 * The chat panel of the technician console: the conversation with the end user on the `chat`
 * channel, a typing indicator, and the transcript the engine keeps, posted through this
 * plugin's own API as the conversation happens (the engine cannot read the channel itself).
 * Every text from the other side is rendered as text by preact, never as HTML.
 */
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChatChannel, type ChatMessage, type SentChat } from '../../../sdk/session/chat-channel.js';
import { StoredChatOutbox } from '../../../sdk/session/stored-chat-outbox.js';
import { TranscriptSender, type TranscriptEntry } from '../../../sdk/session/transcript-sender.js';
import { definePanel } from '../../../sdk/ui/define-panel.js';
import type { TechnicianPanelHost } from '../../../sdk/ui/panel-contract.js';

interface Line {
  readonly id: string;
  readonly mine: boolean;
  /** Who wrote it, as their verified certificate's role says. */
  readonly who: 'You' | 'Customer' | 'Colleague';
  readonly text: string;
  readonly at: string;
  readonly failed?: boolean;
}

const MAX_TEXT = 16_384;

function timeOf(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Posts transcript entries to `POST /api/v1/plugins/chat/sessions/{ref}/messages`. */
function transcriptPost(host: TechnicianPanelHost) {
  return async (messages: readonly TranscriptEntry[]) => {
    const path = `/sessions/${encodeURIComponent(host.sessionRef)}/messages`;
    const answer = await host.api(path, { method: 'POST', body: { messages } });
    if (!answer.ok) throw new Error(`the transcript was not stored (${answer.status})`);
  };
}

function ChatPanel({ host }: { host: TechnicianPanelHost }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [draft, setDraft] = useState('');
  const [typing, setTyping] = useState(false);
  const [ended, setEnded] = useState(host.signal.aborted);
  const chat = useRef<ChatChannel | undefined>(undefined);
  const sender = useRef<TranscriptSender | undefined>(undefined);
  const list = useRef<HTMLOListElement>(null);
  const unread = useRef(0);

  const showMine = (sent: SentChat, text: string, at: string) => {
    setLines((all) => [...all, { id: sent.id, mine: true, who: 'You', text, at }]);
    sent.delivered.catch(() =>
      setLines((all) => all.map((l) => (l.id === sent.id ? { ...l, failed: true } : l))),
    );
  };

  // A layout effect starts the chat as the panel mounts, so that no message or resend is
  // missed. What was sent and not acknowledged, and what the engine has not stored yet, are
  // kept in the session's saved store and survive a reload of the console.
  useLayoutEffect(() => {
    const outbox = new StoredChatOutbox(host.saved);
    const channel = new ChatChannel(host.client, { outbox });
    const transcript = new TranscriptSender(host.client, channel, transcriptPost(host), {
      store: host.saved,
    });
    chat.current = channel;
    sender.current = transcript;
    const onResent = channel.on('resent', (sent) => showMine(sent, sent.text, sent.sentAt));
    const onMessage = channel.on('message', (message: ChatMessage) => {
      const role = host.client.peer(message.from)?.role;
      const who = role === 'technician' ? 'Colleague' : 'Customer';
      const line: Line = {
        id: message.id,
        mine: false,
        who,
        text: message.text,
        at: message.sentAt,
      };
      setLines((all) => [...all, line]);
      setTyping(false);
      if (host.element.offsetParent === null || !document.hasFocus()) {
        host.setBadge(String(++unread.current));
      }
    });
    const onTyping = channel.on('typing', ({ typing: now }) => setTyping(now));
    const onEnd = () => {
      setEnded(true);
      // What is still unsent goes out now; after a hundred failed tries in a row it is dropped.
      void transcript
        .flush()
        .catch(() => undefined)
        .finally(() => transcript.dispose());
    };
    host.signal.addEventListener('abort', onEnd);
    return () => {
      host.signal.removeEventListener('abort', onEnd);
      void onMessage.dispose();
      void onTyping.dispose();
      void onResent.dispose();
      channel.dispose();
      transcript.dispose();
    };
  }, [host]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [lines.length]);

  const send = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '' || !sender.current) return;
    showMine(sender.current.send(text), text, new Date().toISOString());
    setDraft('');
  };
  const onInput = (value: string) => {
    setDraft(value);
    chat.current?.setTyping(value !== '');
  };
  const seen = () => {
    unread.current = 0;
    host.setBadge(undefined);
  };

  return (
    <div class="panel-stack">
      <ol class="feed" ref={list} aria-live="polite" aria-label="Conversation">
        {lines.length === 0 && <li class="muted">No messages yet.</li>}
        {lines.map((line) => (
          <li key={line.id} class={line.mine ? 'feed-item mine' : 'feed-item'}>
            <span class="feed-who">{line.who}</span>
            <span class="feed-text">{line.text}</span>
            <span class="feed-meta muted">
              {timeOf(line.at)}
              {line.failed ? ' · not delivered' : ''}
            </span>
          </li>
        ))}
      </ol>
      <p class="muted feed-status" aria-live="polite">
        {typing ? 'The customer is typing…' : ''}
      </p>
      <form class="compose" onSubmit={send}>
        <label class="visually-hidden" for={`compose-input-${host.sessionRef}`}>
          Message to the customer
        </label>
        <input
          id={`compose-input-${host.sessionRef}`}
          class="compose-input"
          value={draft}
          maxLength={MAX_TEXT}
          disabled={ended}
          autocomplete="off"
          placeholder={ended ? 'The session has ended' : 'Type a message and press Enter'}
          onInput={(e) => onInput(e.currentTarget.value)}
          onFocus={seen}
        />
        <button class="primary" type="submit" disabled={ended || draft.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}

export default definePanel({
  side: 'technician',
  mount(host: TechnicianPanelHost) {
    render(<ChatPanel host={host} />, host.element);
    return () => render(null, host.element);
  },
});
