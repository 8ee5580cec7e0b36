import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** A line the end user typed that is not the answer to a question. */
export type AppletCommand =
  | { readonly kind: 'chat'; readonly text: string }
  | { readonly kind: 'end' }
  | { readonly kind: 'revoke'; readonly permission: string }
  | { readonly kind: 'grants' }
  | { readonly kind: 'sas' }
  | { readonly kind: 'help' }
  | { readonly kind: 'unknown'; readonly text: string };

interface Question {
  readonly resolve: (yes: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/** How long a consent question waits for an answer before it counts as no. */
const QUESTION_TIMEOUT_MS = 120_000;

/**
 * The applet's terminal: prints what happens in the session and reads the end user's lines.
 * A line typed while a question is open answers it (y or n); any other line is a command or a
 * chat message. Questions are answered in the order they were asked.
 */
export class AppletTerminal {
  private readonly lines: Interface;
  private readonly questions: Question[] = [];
  private commandHandler: (command: AppletCommand) => void = () => {};

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    this.lines = createInterface({ input, terminal: false });
    this.lines.on('line', (line) => this.take(line.trim()));
  }

  /** Calls `handler` with each command line. */
  onCommand(handler: (command: AppletCommand) => void): void {
    this.commandHandler = handler;
  }

  /** Calls `handler` once the input ends (the end user closed the terminal). */
  onEnd(handler: () => void): void {
    this.lines.on('close', handler);
  }

  /** Writes one line. */
  print(line: string): void {
    this.output.write(`${line}\n`);
  }

  /**
   * Asks a yes/no question, answered by typing `/allow` or `/deny` (a plain line stays chat, so
   * a "yes" meant for the technician never grants anything); no answer within two minutes, or
   * the input ending, is no.
   */
  ask(question: string): Promise<boolean> {
    this.print(`? ${question}`);
    this.print('? type /allow or /deny');
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(entry, false), QUESTION_TIMEOUT_MS);
      const entry: Question = { resolve, timer };
      this.questions.push(entry);
    });
  }

  /** Answers every open question no and stops reading. */
  close(): void {
    for (const question of [...this.questions]) this.answer(question, false);
    this.lines.close();
  }

  private take(line: string): void {
    if (line === '') return;
    const open = this.questions[0];
    const word = line.toLowerCase();
    if (word === '/allow' || word === '/deny') {
      if (!open) return this.print('there is no question to answer');
      return this.answer(open, word === '/allow');
    }
    this.commandHandler(parseCommand(line));
  }

  private answer(question: Question, yes: boolean): void {
    const index = this.questions.indexOf(question);
    if (index === -1) return;
    this.questions.splice(index, 1);
    clearTimeout(question.timer);
    question.resolve(yes);
  }
}

/** The command a typed line stands for. */
export function parseCommand(line: string): AppletCommand {
  if (!line.startsWith('/')) return { kind: 'chat', text: line };
  const [word, ...rest] = line.slice(1).split(/\s+/);
  const argument = rest.join(' ');
  switch (word) {
    case 'end':
      return { kind: 'end' };
    case 'revoke':
      return argument ? { kind: 'revoke', permission: argument } : { kind: 'unknown', text: line };
    case 'grants':
      return { kind: 'grants' };
    case 'sas':
      return { kind: 'sas' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', text: line };
  }
}
