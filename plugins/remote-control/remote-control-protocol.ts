// The remote-control plugin's messages (README.md of this folder): JSON control messages on
// REMOTE_CONTROL_CHANNEL both ways, binary tile frames on TILES_CHANNEL from the end user.
// Runs in Node and in browsers.
import type { DesktopButton } from '../../sdk/index.js';

/** Control messages, both ways (UTF-8 JSON). */
export const REMOTE_CONTROL_CHANNEL = 'remote-control';
/** Tile frames, end user to technician (binary, tile-frame-format.ts). */
export const TILES_CHANNEL = 'remote-control.tiles';

/** Seeing the screen. */
export const DESKTOP_VIEW = 'desktop-view';
/** Pointer and keyboard; it includes seeing the screen. */
export const REMOTE_CONTROL = 'remote-control';

/** JPEG quality and frame-rate bounds a technician may ask for. */
export const QUALITY_RANGE = { min: 10, max: 95, initial: 70 } as const;
export const FPS_RANGE = { min: 1, max: 60, initial: 30 } as const;
/** The most input events in one `input` message. */
export const MAX_INPUT_EVENTS = 128;
/** The longest key name in an input event. */
const MAX_KEY_LENGTH = 32;

/** One pointer or keyboard event, in desktop pixels and DOM names. */
export type InputEvent =
  | { readonly kind: 'move'; readonly x: number; readonly y: number }
  | { readonly kind: 'button'; readonly button: DesktopButton; readonly down: boolean }
  | { readonly kind: 'wheel'; readonly steps: number; readonly horizontal?: boolean }
  | { readonly kind: 'key'; readonly key: string; readonly down: boolean };

/** Stream limits: the JPEG quality ceiling and the most frames per second. */
export interface StreamLimits {
  readonly quality: number;
  readonly fps: number;
}

/** From a technician. */
export type TechnicianMessage =
  | { readonly type: 'start'; readonly quality?: number; readonly fps?: number }
  | { readonly type: 'stop' }
  | { readonly type: 'settings'; readonly quality?: number; readonly fps?: number }
  | { readonly type: 'input'; readonly events: readonly InputEvent[] }
  | { readonly type: 'displayed'; readonly frame: number };

/** Why the end user's side stopped a stream or refused something. */
export type RefusalReason = 'not-allowed' | 'requested' | 'ended' | 'failed';

/** From the end user's side. */
export type EndUserMessage =
  | {
      readonly type: 'started';
      readonly stream: string;
      readonly width: number;
      readonly height: number;
    }
  | { readonly type: 'stopped'; readonly why: RefusalReason }
  | { readonly type: 'refused'; readonly what: 'view' | 'input'; readonly why: RefusalReason }
  | { readonly type: 'status'; readonly quality: number; readonly fps: number }
  | { readonly type: 'resized'; readonly width: number; readonly height: number };

type Json = Record<string, unknown>;

/** The technician message in `body`, or undefined when it is not a well-formed one. */
export function parseTechnicianMessage(body: Uint8Array): TechnicianMessage | undefined {
  const value = parseObject(body);
  switch (value?.type) {
    case 'start':
    case 'settings':
      return limitsMessage(value.type, value);
    case 'stop':
      return { type: 'stop' };
    case 'input':
      return inputMessage(value.events);
    case 'displayed':
      return isCount(value.frame) ? { type: 'displayed', frame: value.frame } : undefined;
    default:
      return undefined;
  }
}

/** The end-user message in `body`, or undefined when it is not a well-formed one. */
export function parseEndUserMessage(body: Uint8Array): EndUserMessage | undefined {
  const value = parseObject(body);
  if (value === undefined) return undefined;
  const { type, why } = value;
  const size = sizeOf(value.width, value.height);
  if (type === 'started' && typeof value.stream === 'string' && size) {
    return { type, stream: value.stream, ...size };
  }
  if (type === 'resized' && size) return { type, ...size };
  if (type === 'stopped' && isReason(why)) return { type, why };
  if (type === 'refused' && isReason(why) && (value.what === 'view' || value.what === 'input')) {
    return { type, what: value.what, why };
  }
  if (type === 'status' && isCount(value.quality) && isCount(value.fps)) {
    return { type, quality: value.quality, fps: value.fps };
  }
  return undefined;
}

/** `value` kept within `range`, or the range's initial value when it is no number. */
export function withinRange(
  value: number | undefined,
  range: { readonly min: number; readonly max: number; readonly initial: number },
): number {
  if (value === undefined || !Number.isFinite(value)) return range.initial;
  return Math.min(Math.max(Math.round(value), range.min), range.max);
}

/** UTF-8 JSON of `message`, ready to send. */
export function encodeMessage(message: TechnicianMessage | EndUserMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

function limitsMessage(type: 'start' | 'settings', value: Json): TechnicianMessage | undefined {
  const { quality, fps } = value;
  if (quality !== undefined && typeof quality !== 'number') return undefined;
  if (fps !== undefined && typeof fps !== 'number') return undefined;
  return {
    type,
    ...(quality === undefined ? {} : { quality }),
    ...(fps === undefined ? {} : { fps }),
  };
}

function inputMessage(events: unknown): TechnicianMessage | undefined {
  if (!Array.isArray(events) || events.length > MAX_INPUT_EVENTS) return undefined;
  const parsed = events.map(inputEvent);
  if (parsed.some((event) => event === undefined)) return undefined;
  return { type: 'input', events: parsed as InputEvent[] };
}

function inputEvent(value: unknown): InputEvent | undefined {
  if (!isObject(value)) return undefined;
  const { kind, x, y, button, down, steps, key } = value;
  if (kind === 'move' && isCoordinate(x) && isCoordinate(y)) return { kind, x, y };
  if (kind === 'button' && typeof down === 'boolean' && isButton(button)) {
    return { kind, button, down };
  }
  if (kind === 'wheel' && Number.isInteger(steps) && Math.abs(steps as number) <= 50) {
    return { kind, steps: steps as number, horizontal: value.horizontal === true };
  }
  if (kind === 'key' && typeof down === 'boolean' && typeof key === 'string') {
    if (key.length > 0 && key.length <= MAX_KEY_LENGTH) return { kind, key, down };
  }
  return undefined;
}

function parseObject(body: Uint8Array): Json | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return isObject(value) ? value : undefined;
  } catch {
    // Not UTF-8 JSON: the caller ignores the body.
    return undefined;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 65_536;
}

function sizeOf(width: unknown, height: unknown): { width: number; height: number } | undefined {
  if (!isCount(width) || !isCount(height) || width > 65_535 || height > 65_535) return undefined;
  return { width, height };
}

function isButton(value: unknown): value is DesktopButton {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}

function isReason(value: unknown): value is RefusalReason {
  return (
    value === 'not-allowed' || value === 'requested' || value === 'ended' || value === 'failed'
  );
}
