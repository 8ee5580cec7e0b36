import { parseOutgoingChats, type ChatOutbox, type OutgoingChat } from './chat-outbox.js';
import type { TextStore } from './text-store.js';

/**
 * A chat outbox in a {@link TextStore}, as one JSON list under one name: a page keeps its
 * unacknowledged chat across a reload this way. Unreadable text is reported by `load` and
 * replaced by the next change; a full store makes `keep` reject (the message is still sent).
 */
export class StoredChatOutbox implements ChatOutbox {
  constructor(
    private readonly store: TextStore,
    private readonly name = 'chat-outbox',
  ) {}

  async load(): Promise<readonly OutgoingChat[]> {
    const text = this.store.get(this.name);
    return text === undefined ? [] : parseOutgoingChats(text);
  }

  async keep(message: OutgoingChat): Promise<void> {
    this.write([...this.kept().filter((kept) => kept.id !== message.id), message]);
  }

  async drop(id: string): Promise<void> {
    const kept = this.kept();
    if (kept.some((message) => message.id === id)) {
      this.write(kept.filter((message) => message.id !== id));
    }
  }

  /** What is kept now; unreadable text counts as nothing, so the next change replaces it. */
  private kept(): OutgoingChat[] {
    try {
      return parseOutgoingChats(this.store.get(this.name) ?? '[]');
    } catch {
      return [];
    }
  }

  private write(messages: readonly OutgoingChat[]): void {
    if (messages.length === 0) this.store.remove(this.name);
    else this.store.set(this.name, JSON.stringify(messages));
  }
}
