import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PasswordStrength } from './password-policy.js';

/** What zxcvbn says of a password: its score and its hints. */
export interface PasswordEstimate {
  readonly score: PasswordStrength;
  readonly warning?: string;
  readonly suggestions: readonly string[];
}

/** A request to the worker thread. */
export interface EstimateRequest {
  readonly id: number;
  readonly password: string;
  readonly userInputs: readonly string[];
}

/** The worker thread's answer to the request `id`: the estimate, or why there is none. */
export type EstimateReply =
  | { readonly id: number; readonly estimate: PasswordEstimate }
  | { readonly id: number; readonly error: string };

const IDLE_MS = 10_000;
const WORKER_FILE = path.join(__dirname, 'password-estimator-worker.js');

interface Waiter {
  resolve(estimate: PasswordEstimate): void;
  reject(error: Error): void;
}

/**
 * Scores passwords with zxcvbn in a worker thread that starts on the first request and stops
 * once it has been idle for 10 s. zxcvbn's dictionaries and their sources took about 23 MiB
 * of the engine's heap, which an engine that sees a new password now and then should not carry:
 * every full garbage collection marked them again. The price is a worker start (a fifth of a
 * second, most of it loading the dictionaries, as before) after an idle spell.
 */
export class PasswordEstimator {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private lastId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  /** `idleMs`: how long the worker stays up after its last answer. */
  constructor(private readonly idleMs = IDLE_MS) {}

  /** True while the worker thread is up. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** The score and hints of `password`, with `userInputs` counted as known words. */
  estimate(password: string, userInputs: readonly string[]): Promise<PasswordEstimate> {
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    // A worker with requests keeps the process alive; an idle one does not.
    worker.ref();
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: EstimateRequest = { id, password, userInputs };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER_FILE);
    worker.on('message', (reply: EstimateReply) => this.answer(worker, reply));
    worker.on('error', (error) => this.fail(worker, error));
    // A message that cannot be read leaves its request unanswered: the worker is unusable.
    worker.on('messageerror', (error) => this.fail(worker, error));
    worker.on('exit', (code) =>
      this.fail(worker, new Error(`password estimator exited (${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private answer(worker: Worker, reply: EstimateReply): void {
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if ('error' in reply) waiter?.reject(new Error(`password estimate failed: ${reply.error}`));
    else waiter?.resolve(reply.estimate);
    if (this.waiting.size > 0) return;
    worker.unref();
    this.idleTimer = setTimeout(() => this.stop(worker), this.idleMs).unref();
  }

  private stop(worker: Worker): void {
    if (this.worker !== worker || this.waiting.size > 0) return;
    this.worker = undefined;
    void worker.terminate();
  }

  /** The worker failed or exited: its requests fail, and the next request starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
