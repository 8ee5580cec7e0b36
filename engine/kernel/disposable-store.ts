import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';
import { TetherError } from '../errors.js';

/**
 * Collects Disposables and disposes them in reverse order, once. Each dispose runs on its own,
 * so one failing does not keep the rest alive; a failure is logged, not swallowed. After
 * `dispose`, anything added is disposed at once and the add throws TETHER_E_PLUGIN_DISPOSED.
 */
export class DisposableStore {
  private readonly items: Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly logger: Logger,
    private readonly owner: string,
  ) {}

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void this.disposeNow(item);
      throw new TetherError('TETHER_E_PLUGIN_DISPOSED', `${this.owner} has stopped`);
    }
    this.items.push(item);
    return item;
  }

  /** Disposes everything added; resolves with the number of disposals that failed. */
  async dispose(): Promise<number> {
    this.disposed = true;
    let failures = 0;
    for (const item of this.items.splice(0).reverse()) {
      if (!(await this.disposeNow(item))) failures += 1;
    }
    return failures;
  }

  /** Disposes one item now, outside the store; a failure is logged and answers false. */
  async disposeNow(item: Disposable): Promise<boolean> {
    try {
      await item.dispose();
      return true;
    } catch (error) {
      this.logger.error({ err: error, owner: this.owner }, 'dispose failed');
      return false;
    }
  }
}
