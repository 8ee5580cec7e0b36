// The few parts of the pure-JS `x11` package (it ships no types) the desktop uses, typed and
// turned into promises. Everything the adapter asks of the server goes through here.
import { TetherError } from '../../engine/errors.js';

type Callback<T> = (error: Error | null | undefined, value: T) => void;

/** An X event as the package parses it; only the fields the desktop reads. */
export interface X11Event {
  readonly name?: string;
  readonly wid?: number;
  readonly width?: number;
  readonly height?: number;
  readonly area?: { x: number; y: number; w: number; h: number };
}

/** The raw client of the `x11` package, as far as this adapter calls it. */
export interface RawX11Client {
  AllocID(): number;
  GetImage(
    format: number,
    drawable: number,
    x: number,
    y: number,
    width: number,
    height: number,
    planeMask: number,
    cb: Callback<{ depth: number; data: Buffer }>,
  ): void;
  GetKeyboardMapping(first: number, count: number, cb: Callback<number[][]>): void;
  ChangeKeyboardMapping(first: number, perKeycode: number, keysyms: number[]): void;
  GetInputFocus(cb: Callback<unknown>): void;
  GetGeometry(drawable: number, cb: Callback<{ width: number; height: number }>): void;
  QueryPointer(wid: number, cb: Callback<{ rootX: number; rootY: number }>): void;
  ChangeWindowAttributes(wid: number, values: { eventMask: number }): void;
  require<T>(name: string, cb: Callback<T>): void;
  on(event: 'event', listener: (event: X11Event) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  close(cb?: () => void): void;
}

/** An open connection to a display: its client and what the handshake said about it. */
export interface X11Connection {
  readonly client: RawX11Client;
  readonly root: number;
  readonly width: number;
  readonly height: number;
  readonly minKeycode: number;
  readonly maxKeycode: number;
  /** Byte order of a 32-bit pixel in memory, from the root visual's red mask. */
  readonly redFirst: boolean;
}

interface RawDisplay {
  client: RawX11Client;
  min_keycode: number;
  max_keycode: number;
  screen: {
    root: number;
    root_depth: number;
    root_visual: number;
    pixel_width: number;
    pixel_height: number;
    depths: Record<string, Record<string, { red_mask: number }>>;
  }[];
}

const x11 = require('x11') as {
  createClient(options: { display: string }, cb: Callback<RawDisplay>): void;
  eventMask: Record<string, number>;
};

/** The event mask bit for root-window size changes. */
export const STRUCTURE_NOTIFY = x11.eventMask.StructureNotify!;

/** Opens `display` (such as `:1`); rejects with TETHER_E_DESKTOP when it cannot. */
export function openX11Connection(display: string, timeoutMs = 5000): Promise<X11Connection> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(new TetherError('TETHER_E_DESKTOP', `cannot open display ${display}: ${why}`));
    const timer = setTimeout(() => fail('no answer'), timeoutMs);
    try {
      x11.createClient({ display }, (error, raw) => {
        clearTimeout(timer);
        if (error) return fail(error.message);
        resolve(describe(raw));
      });
    } catch (error) {
      clearTimeout(timer);
      fail((error as Error).message);
    }
  });
}

function describe(raw: RawDisplay): X11Connection {
  const screen = raw.screen[0]!;
  if (screen.root_depth !== 24 && screen.root_depth !== 32) {
    throw new TetherError('TETHER_E_DESKTOP', `unsupported screen depth ${screen.root_depth}`);
  }
  const visual = screen.depths[String(screen.root_depth)]?.[String(screen.root_visual)];
  return {
    client: raw.client,
    root: screen.root,
    width: screen.pixel_width,
    height: screen.pixel_height,
    minKeycode: raw.min_keycode,
    maxKeycode: raw.max_keycode,
    redFirst: visual?.red_mask === 0xff,
  };
}

/** Calls `request` with a node-style callback and resolves with its value. */
export function ask<T>(request: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    request((error, value) => (error ? reject(error) : resolve(value)));
  });
}

/** A request with a reply, so every request sent before it has been carried out. */
export function roundTrip(client: RawX11Client): Promise<void> {
  return ask((cb) => client.GetInputFocus(cb)).then(() => undefined);
}
