import type { Desktop, SessionLogger } from '../../sdk/index.js';
import type { InputEvent } from './remote-control-protocol.js';

/**
 * Injects `events` into `desktop` in order. An event the desktop cannot carry out (a key it
 * cannot type) is skipped and logged; the others still happen.
 */
export async function applyInput(
  desktop: Desktop,
  events: readonly InputEvent[],
  logger: SessionLogger,
): Promise<void> {
  for (const event of events) {
    try {
      await applyOne(desktop, event);
    } catch (error) {
      logger.debug({ kind: event.kind, err: String(error) }, 'an input event was skipped');
    }
  }
}

function applyOne(desktop: Desktop, event: InputEvent): Promise<void> {
  switch (event.kind) {
    case 'move':
      return desktop.movePointer(event.x, event.y);
    case 'button':
      return desktop.pressButton(event.button, event.down);
    case 'wheel':
      return desktop.scroll(event.steps, event.horizontal);
    case 'key':
      return desktop.pressKey(event.key, event.down);
  }
}
