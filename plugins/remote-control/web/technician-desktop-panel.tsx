/**
 * The desktop panel of the technician console: the end user's screen on a canvas scaled to
 * fit, with Start/Stop, quality and frame-rate limits, a view-only switch, a special-keys menu,
 * and the viewer's frame rate and latency. Pointer and keyboard input reach the end user's
 * side only while the technician's certificate holds `remote-control`, the end user granted
 * it, and view only is off; the end user's side enforces the same rule itself.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { definePanel } from '../../../sdk/ui/define-panel.js';
import type { TechnicianPanelHost } from '../../../sdk/ui/panel-contract.js';
import { REMOTE_CONTROL, DESKTOP_VIEW } from '../remote-control-protocol.js';
import { RemoteDesktopViewer, ViewRefusedError } from '../remote-desktop-viewer.js';
import type { ViewerStatsSnapshot } from '../viewer-stats.js';
import { CanvasSurface } from './canvas-surface.js';
import { forwardInput, SPECIAL_KEYS } from './desktop-input.js';
import { adoptDesktopStyles } from './desktop-panel-styles.js';

type ViewState = 'idle' | 'starting' | 'viewing';

const QUALITIES = [30, 50, 70, 85, 95];
const FRAME_RATES = [5, 15, 30, 60];

const REFUSALS: Readonly<Record<string, string>> = {
  'not-allowed': 'The customer has not allowed desktop view: ask for it in the permission list.',
  failed: 'The customer’s side offers no desktop, or could not capture it.',
  ended: 'The session is no longer active.',
  requested: 'The view was asked for again.',
};

/** Whether the technician may send input now: their permission, the grant, and the switch. */
function controlAllowed(host: TechnicianPanelHost, endUser: string): boolean {
  const held = host.client.certificate?.permissions?.includes(REMOTE_CONTROL) === true;
  return held && host.consent.isGranted(endUser, REMOTE_CONTROL);
}

function statsLine(stats: ViewerStatsSnapshot | undefined): string {
  if (stats === undefined || stats.frames === 0) return '';
  return `${stats.fps} fps · ${Math.round(stats.latencyP50)} ms latency (p99 ${Math.round(
    stats.latencyP99,
  )})`;
}

interface Viewing {
  readonly viewer: RemoteDesktopViewer;
  readonly endUser: string;
}

function DesktopPanel({ host }: { host: TechnicianPanelHost }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const viewing = useRef<Viewing | undefined>(undefined);
  const viewOnlyRef = useRef(false);
  const [state, setState] = useState<ViewState>('idle');
  const [note, setNote] = useState('');
  const [viewOnly, setViewOnly] = useState(false);
  const [mayControl, setMayControl] = useState(false);
  const [stats, setStats] = useState<ViewerStatsSnapshot>();
  const [quality, setQuality] = useState(70);
  const [fps, setFps] = useState(30);
  const [special, setSpecial] = useState(Object.keys(SPECIAL_KEYS)[0]!);
  viewOnlyRef.current = viewOnly;

  const canSend = () => {
    const current = viewing.current;
    return current !== undefined && !viewOnlyRef.current && controlAllowed(host, current.endUser);
  };

  useEffect(() => {
    const timer = setInterval(() => {
      const current = viewing.current;
      setStats(current?.viewer.statistics());
      setMayControl(current !== undefined && controlAllowed(host, current.endUser));
    }, 1000);
    const end = () => release('The view closed with the session.');
    host.signal.addEventListener('abort', end);
    return () => {
      clearInterval(timer);
      host.signal.removeEventListener('abort', end);
      viewing.current?.viewer.dispose();
      viewing.current = undefined;
    };
  }, [host]);

  const release = (message: string) => {
    viewing.current?.viewer.dispose();
    viewing.current = undefined;
    setState('idle');
    setNote(message);
  };

  const start = async () => {
    const endUser = host.endUser();
    if (endUser === undefined) return setNote('The customer is not connected yet.');
    const surface = new CanvasSurface(canvas.current!);
    const viewer = new RemoteDesktopViewer(host.client, endUser, surface);
    const unforward = forwardInput(canvas.current!, viewer, canSend);
    viewer.on('stopped', ({ why }) => release(REFUSALS[why] ?? 'The view stopped.'));
    viewer.on('refused', ({ what }) => {
      if (what === 'input') setNote('The customer’s side refused the input (view only).');
    });
    const dispose = viewer.dispose.bind(viewer);
    viewer.dispose = () => (unforward(), dispose());
    viewing.current?.viewer.dispose();
    viewing.current = { viewer, endUser };
    setState('starting');
    setNote('');
    try {
      await viewer.start({ quality, fps });
      setState('viewing');
      setMayControl(controlAllowed(host, endUser));
    } catch (error) {
      const why = error instanceof ViewRefusedError ? error.why : 'failed';
      if (viewing.current?.viewer === viewer) release(REFUSALS[why] ?? String(error));
    }
  };

  const stop = () => {
    const current = viewing.current;
    void current?.viewer.stop().catch(() => undefined);
    release('');
  };

  const changeQuality = (value: number) => {
    setQuality(value);
    void viewing.current?.viewer.setQuality(value).catch(() => undefined);
  };
  const changeFps = (value: number) => {
    setFps(value);
    void viewing.current?.viewer.setFrameRate(value).catch(() => undefined);
  };
  const sendSpecial = () => {
    if (!canSend()) return;
    viewing.current!.viewer.pressCombination(SPECIAL_KEYS[special]!);
    void viewing.current!.viewer.flushInput().catch(() => undefined);
  };

  const controlling = state === 'viewing' && mayControl && !viewOnly;
  return (
    <div class="rcp">
      <div class="rcp-bar">
        {state === 'idle' ? (
          <button type="button" class="primary" onClick={() => void start()}>
            Start view
          </button>
        ) : (
          <button type="button" onClick={stop}>
            {state === 'starting' ? 'Cancel' : 'Stop view'}
          </button>
        )}
        <label>
          <input
            type="checkbox"
            checked={viewOnly}
            onChange={(event) => setViewOnly(event.currentTarget.checked)}
          />
          View only
        </label>
        <label>
          Quality
          <select
            value={String(quality)}
            onChange={(event) => changeQuality(Number(event.currentTarget.value))}
          >
            {QUALITIES.map((value) => (
              <option key={value} value={String(value)}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          Frame rate
          <select
            value={String(fps)}
            onChange={(event) => changeFps(Number(event.currentTarget.value))}
          >
            {FRAME_RATES.map((value) => (
              <option key={value} value={String(value)}>
                {value} fps
              </option>
            ))}
          </select>
        </label>
        <label>
          Special keys
          <select value={special} onChange={(event) => setSpecial(event.currentTarget.value)}>
            {Object.keys(SPECIAL_KEYS).map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!controlling} onClick={sendSpecial}>
          Send keys
        </button>
        <span class="rcp-stats" data-testid="desktop-stats" aria-live="off">
          {statsLine(stats)}
        </span>
      </div>
      <p class="rcp-note" aria-live="polite" data-testid="desktop-note">
        {note ||
          (state === 'viewing'
            ? controlling
              ? 'You control the pointer and keyboard: click the screen to type into it.'
              : `Viewing only (${mayControl ? 'view only is on' : `no ${REMOTE_CONTROL} grant`}).`
            : state === 'starting'
              ? 'Waiting for the customer’s screen…'
              : `Needs the customer’s ${DESKTOP_VIEW} or ${REMOTE_CONTROL} grant.`)}
      </p>
      <div class="rcp-screen">
        <canvas
          ref={canvas}
          class={`rcp-canvas${controlling ? '' : ' rcp-view-only'}`}
          tabIndex={0}
          hidden={state === 'idle'}
          aria-label="The customer’s screen"
          data-testid="desktop-canvas"
        />
      </div>
    </div>
  );
}

export default definePanel({
  side: 'technician',
  mount(host: TechnicianPanelHost) {
    adoptDesktopStyles(document);
    render(<DesktopPanel host={host} />, host.element);
    return () => render(null, host.element);
  },
});
