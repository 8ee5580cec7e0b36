// A small X client of its own for the tests: a window that records its clicks and key presses.
type Callback<T> = (error: Error | null | undefined, value: T) => void;

interface RawClient {
  AllocID(): number;
  CreateWindow(...args: unknown[]): void;
  MapWindow(wid: number): void;
  GetInputFocus(cb: Callback<unknown>): void;
  on(event: 'event', listener: (event: Record<string, number | string>) => void): void;
  close(cb?: () => void): void;
}

const x11 = require('x11') as {
  createClient(
    options: { display: string },
    cb: Callback<{ client: RawClient; screen: { root: number; white_pixel: number }[] }>,
  ): void;
  eventMask: Record<string, number>;
};

/** A click as the window saw it: in window and in screen coordinates, and the X button. */
export interface RecordedClick {
  readonly x: number;
  readonly y: number;
  readonly rootX: number;
  readonly rootY: number;
  readonly button: number;
}

/** A key press as the window saw it: the keycode and the modifier mask (1 is Shift). */
export interface RecordedKey {
  readonly keycode: number;
  readonly state: number;
}

/** A mapped window at `x`, `y` of `width` x `height` that records clicks and key presses. */
export class ClickRecorder {
  readonly clicks: RecordedClick[] = [];
  readonly keys: RecordedKey[] = [];

  private constructor(private readonly client: RawClient) {}

  static open(display: string, rect: { x: number; y: number; width: number; height: number }) {
    return new Promise<ClickRecorder>((resolve, reject) => {
      x11.createClient({ display }, (error, raw) => {
        if (error) return reject(error);
        const recorder = new ClickRecorder(raw.client);
        const screen = raw.screen[0]!;
        const wid = raw.client.AllocID();
        const { ButtonPress, Exposure, KeyPress } = x11.eventMask;
        raw.client.CreateWindow(
          wid,
          screen.root,
          rect.x,
          rect.y,
          rect.width,
          rect.height,
          0,
          0,
          0,
          0,
          {
            backgroundPixel: screen.white_pixel,
            overrideRedirect: 1,
            eventMask: ButtonPress! | Exposure! | KeyPress!,
          },
        );
        raw.client.on('event', (event) => recorder.onEvent(event));
        raw.client.MapWindow(wid);
        raw.client.GetInputFocus(() => resolve(recorder));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.client.close(() => resolve()));
  }

  private onEvent(event: Record<string, number | string>): void {
    if (event.name === 'KeyPress') {
      return void this.keys.push({ keycode: Number(event.keycode), state: Number(event.buttons) });
    }
    if (event.name !== 'ButtonPress') return;
    this.clicks.push({
      x: Number(event.x),
      y: Number(event.y),
      rootX: Number(event.rootx),
      rootY: Number(event.rooty),
      button: Number(event.keycode),
    });
  }
}
