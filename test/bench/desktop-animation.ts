// A window that changes 60 times a second, for the bench's "changing desktop": moving colour
// bars and a bouncing square in a 480x320 window, drawn with a few fill requests per frame, so
// the X server and this process stay cheap and the stream is what gets measured.
type Callback<T> = (error: Error | null | undefined, value: T) => void;

interface RawClient {
  AllocID(): number;
  CreateWindow(...args: unknown[]): void;
  MapWindow(wid: number): void;
  CreateGC(gc: number, drawable: number, values: { foreground: number }): void;
  ChangeGC(gc: number, values: { foreground: number }): void;
  PolyFillRectangle(drawable: number, gc: number, rects: number[]): void;
  close(cb?: () => void): void;
}

const x11 = require('x11') as {
  createClient(
    options: { display: string },
    cb: Callback<{ client: RawClient; screen: { root: number }[] }>,
  ): void;
};

const WIDTH = 480;
const HEIGHT = 320;
const BARS = 12;

/** Starts the animation on `display` at `x`, `y`; the returned function stops it. */
export function startAnimation(display: string, x = 200, y = 150): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    x11.createClient({ display }, (error, raw) => {
      if (error) return reject(error);
      const { client } = raw;
      const wid = client.AllocID();
      client.CreateWindow(wid, raw.screen[0]!.root, x, y, WIDTH, HEIGHT, 0, 0, 0, 0, {
        overrideRedirect: 1,
      });
      client.MapWindow(wid);
      const gc = client.AllocID();
      client.CreateGC(gc, wid, { foreground: 0 });
      let tick = 0;
      const timer = setInterval(() => drawFrame(client, wid, gc, tick++), 1000 / 60);
      resolve(async () => {
        clearInterval(timer);
        await new Promise<void>((done) => client.close(() => done()));
      });
    });
  });
}

function drawFrame(client: RawClient, wid: number, gc: number, tick: number): void {
  const barWidth = WIDTH / BARS;
  for (let bar = 0; bar < BARS; bar++) {
    const phase = (tick * 4 + bar * 21) % 256;
    client.ChangeGC(gc, { foreground: (phase << 16) | ((255 - phase) << 8) | ((bar * 20) & 255) });
    client.PolyFillRectangle(wid, gc, [bar * barWidth, 0, barWidth, HEIGHT]);
  }
  const size = 60;
  const sx = Math.abs(((tick * 7) % (2 * (WIDTH - size))) - (WIDTH - size));
  const sy = Math.abs(((tick * 5) % (2 * (HEIGHT - size))) - (HEIGHT - size));
  client.ChangeGC(gc, { foreground: 0xffffff });
  client.PolyFillRectangle(wid, gc, [sx, sy, size, size]);
}
