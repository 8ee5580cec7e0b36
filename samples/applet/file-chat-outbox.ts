import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import {
  parseOutgoingChats,
  type ChatOutbox,
  type OutgoingChat,
} from '../../sdk/session/chat-outbox.js';

/**
 * The applet's chat outbox: one JSON file (owner-only, as it holds what the end user typed)
 * listing the messages sent and not yet acknowledged, replaced whole on each change so that a
 * crash leaves the old list or the new one. Calls take effect one at a time, in call order. A
 * missing file is an empty outbox; an unreadable one is reported by `load` and replaced by the
 * next change.
 */
export class FileChatOutbox implements ChatOutbox {
  /** The list as the file holds it; read on the first call. */
  private messages: OutgoingChat[] | undefined;
  private unreadable: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  load(): Promise<readonly OutgoingChat[]> {
    return this.inTurn(async () => {
      const messages = await this.current();
      const error = this.unreadable;
      this.unreadable = undefined;
      if (error) throw error;
      return [...messages];
    });
  }

  keep(message: OutgoingChat): Promise<void> {
    return this.change((messages) => [...messages.filter((m) => m.id !== message.id), message]);
  }

  drop(id: string): Promise<void> {
    return this.change((messages) => messages.filter((m) => m.id !== id));
  }

  /** Removes the file: the session is over, nothing is left to send. */
  clear(): Promise<void> {
    return this.inTurn(async () => {
      this.messages = [];
      await rm(this.file, { force: true });
    });
  }

  private change(next: (messages: OutgoingChat[]) => OutgoingChat[]): Promise<void> {
    return this.inTurn(async () => {
      const before = await this.current();
      const after = next(before);
      if (after.length === before.length && after.every((m, i) => m === before[i])) return;
      await this.replace(JSON.stringify(after));
      this.messages = after;
    });
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(step);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async current(): Promise<OutgoingChat[]> {
    if (this.messages) return this.messages;
    try {
      this.messages = parseOutgoingChats(await readOutbox(this.file));
    } catch (error) {
      this.messages = [];
      this.unreadable = error as Error;
    }
    return this.messages;
  }

  private async replace(text: string): Promise<void> {
    const temporary = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, text, { mode: 0o600, flush: true });
    await rename(temporary, this.file);
  }
}

async function readOutbox(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '[]';
    throw new Error(`the chat outbox cannot be read: ${error.code}`);
  });
}
