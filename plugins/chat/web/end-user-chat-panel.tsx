import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChatChannel, MAX_CHAT_TEXT, type SentChat } from '../../../sdk/session/chat-channel.js';
import type { SessionClient } from '../../../sdk/session/session-client.js';
import { StoredChatOutbox } from '../../../sdk/session/stored-chat-outbox.js';
import { definePanel } from '../../../sdk/ui/define-panel.js';
import type { EndUserPanelHost } from '../../../sdk/ui/panel-contract.js';
import { adoptChatStyles } from './end-user-chat-styles.js';

/** One line of the conversation; `status` only for the end user's own messages. */
interface Line {
  readonly id: string;
  readonly text: string;
  readonly mine: boolean;
  readonly from: string;
  readonly sentAt: string;
  readonly status?: 'sending' | 'delivered' | 'failed';
}

/** The technician's name from their verified certificate, else a neutral word. */
function nameOf(client: SessionClient, participantId: string): string {
  return client.peer(participantId)?.certificate.name ?? 'Technician';
}

/** The sender's clock as hours and minutes, or nothing when it is no time (it is not trusted). */
function timeOf(sentAt: string): string {
  const time = Date.parse(sentAt);
  if (!Number.isFinite(time)) return '';
  return new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** `here`: a technician is connected; `known`: one is connected or expected back. */
function technicianPresence(client: SessionClient): { known: boolean; here: boolean } {
  const technicians = client.peers().filter((peer) => peer.role === 'technician');
  const known = client.closed === undefined && technicians.length > 0;
  return { known, here: known && technicians.some((peer) => peer.connected) };
}

function placeholderOf({ known, here }: { known: boolean; here: boolean }): string {
  if (!known) return 'Waiting for your technician…';
  return here ? 'Type a message' : 'Your technician gets this once back';
}

/** Counts messages that arrive while the panel is out of sight, and clears once it is seen. */
function useUnread(host: EndUserPanelHost): () => void {
  const unread = useRef(0);
  useEffect(() => {
    const observer = new IntersectionObserver(([entry]) => {
      if (!entry?.isIntersecting || unread.current === 0) return;
      unread.current = 0;
      host.setBadge(undefined);
    });
    observer.observe(host.element);
    return () => observer.disconnect();
  }, [host]);
  return () => {
    if (host.element.checkVisibility()) return;
    unread.current += 1;
    host.setBadge(String(unread.current));
  };
}

function ChatView({ host, chat }: { host: EndUserPanelHost; chat: ChatChannel }) {
  const { client } = host;
  const [lines, setLines] = useState<readonly Line[]>([]);
  const [typing, setTyping] = useState<string | undefined>(undefined);
  const [draft, setDraft] = useState('');
  const [presence, setPresence] = useState(() => technicianPresence(client));
  const open = presence.known;
  const list = useRef<HTMLOListElement>(null);
  const countUnread = useUnread(host);

  const mark = (id: string, status: Line['status']) =>
    setLines((old) => old.map((line) => (line.id === id ? { ...line, status } : line)));
  const showMine = ({ id, delivered }: SentChat, text: string, sentAt: string) => {
    setLines((old) => [...old, { id, text, from: 'me', sentAt, mine: true, status: 'sending' }]);
    delivered.then(
      () => mark(id, 'delivered'),
      () => mark(id, 'failed'),
    );
  };

  // A layout effect subscribes during the mount, before the page connects: the messages kept
  // from before a reload are sent again as soon as a technician is there.
  useLayoutEffect(() => {
    const peersChanged = () => setPresence(technicianPresence(client));
    const subscriptions = [
      chat.on('message', ({ id, text, from, sentAt }) => {
        setTyping(undefined);
        setLines((old) => [...old, { id, text, from, sentAt, mine: false }]);
        countUnread();
      }),
      chat.on('resent', (sent) => showMine(sent, sent.text, sent.sentAt)),
      chat.on('typing', ({ from, typing: on }) => setTyping(on ? nameOf(client, from) : undefined)),
      client.on('peer-joined', peersChanged),
      client.on('peer-left', peersChanged),
      client.on('closed', peersChanged),
    ];
    return () => subscriptions.forEach((subscription) => void subscription.dispose());
  }, [chat, client]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [lines.length]);

  const send = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '' || !open) return;
    showMine(chat.send(text), text, new Date().toISOString());
    setDraft('');
  };

  return (
    <div class="euchat">
      <div class="euchat-scroll" role="log" aria-live="polite" aria-label="Chat">
        <ol class="euchat-lines" ref={list}>
          {lines.length === 0 && <li class="euchat-empty">Messages appear here.</li>}
          {lines.map((line) => (
            <ChatLine
              key={line.id}
              line={line}
              who={line.mine ? 'You' : nameOf(client, line.from)}
            />
          ))}
        </ol>
      </div>
      <p class="euchat-typing" aria-live="polite">
        {typing ? `${typing} is typing…` : ''}
      </p>
      <form class="euchat-form" onSubmit={send}>
        <label class="euchat-hidden" for="euchat-input">
          Message to your technician
        </label>
        <input
          id="euchat-input"
          autoComplete="off"
          maxLength={MAX_CHAT_TEXT}
          placeholder={placeholderOf(presence)}
          disabled={!open}
          value={draft}
          onInput={(event) => {
            setDraft(event.currentTarget.value);
            chat.setTyping(event.currentTarget.value !== '');
          }}
        />
        <button type="submit" class="primary" disabled={!open || draft.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}

const TICKS: Readonly<Record<NonNullable<Line['status']>, [string, string]>> = {
  sending: ['✓', 'Sent, not yet delivered'],
  delivered: ['✓✓', 'Delivered'],
  failed: ['!', 'Not delivered'],
};

function ChatLine({ line, who }: { line: Line; who: string }) {
  const tick = line.status === undefined ? undefined : TICKS[line.status];
  return (
    <li class={`euchat-line ${line.mine ? 'euchat-mine' : 'euchat-theirs'}`}>
      <span class="euchat-meta">
        <span class="euchat-who">{who}</span> <time>{timeOf(line.sentAt)}</time>
      </span>
      <span class="euchat-text">{line.text}</span>
      {tick && (
        <span class={`euchat-tick euchat-${line.status}`} title={tick[1]}>
          <span aria-hidden="true">{tick[0]}</span>
          <span class="euchat-hidden">{tick[1]}</span>
        </span>
      )}
    </li>
  );
}

/**
 * The chat panel of the end user's page: the conversation with delivery ticks (one tick sent,
 * two delivered), the technician's typing state, and a message box. Every text from the other
 * side is rendered as text by preact; nothing is ever parsed as HTML.
 */
export default definePanel({
  side: 'end-user',
  mount(host: EndUserPanelHost) {
    adoptChatStyles(host.element.ownerDocument);
    // What the end user typed and no technician acknowledged yet survives a reload of the page.
    const chat = new ChatChannel(host.client, { outbox: new StoredChatOutbox(host.saved) });
    render(<ChatView host={host} chat={chat} />, host.element);
    return () => {
      render(null, host.element);
      chat.dispose();
    };
  },
});
