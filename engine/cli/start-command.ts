import { Engine } from '../engine.js';
import type { FirstStart } from '../kernel/first-start.js';
import { loggerFrom, say, settingsFrom, type CommandArgs } from './cli-support.js';
import { applyHeapTuning } from './heap-tuning.js';

function printFirstStart(made: FirstStart): void {
  say();
  say(`First start: made the tenant "${made.tenant}" and its master administrator.`);
  say(`  e-mail:               ${made.email}`);
  say(`  one-time sign-in secret: ${made.secret}`);
  say(`  valid until:          ${made.expiresAt.toISOString()}`);
  say('It is shown only now and stored only as a hash. Sign in with it and set a password.');
  say();
}

/** `tether start`: runs a node until SIGINT or SIGTERM, then stops it in order. */
export async function runStart(args: CommandArgs): Promise<void> {
  const settings = settingsFrom(args);
  const logger = loggerFrom(settings);
  // The process is the CLI's own, so it, not the embeddable Engine, decides V8's flags.
  applyHeapTuning(settings, logger);
  const engine = new Engine(settings, { logger, onFirstStart: printFirstStart });
  try {
    await engine.start();
  } catch (error) {
    await engine.stop('failed to start');
    throw error;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    engine.stop(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
