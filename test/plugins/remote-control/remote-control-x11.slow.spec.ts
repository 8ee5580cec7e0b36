import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { X11Desktop } from '../../../adapters/desktop-x11/index.js';
import { ViewRefusedError } from '../../../plugins/remote-control/remote-desktop-viewer.js';
import { ClickRecorder } from '../../support/click-recorder.js';
import { CountingDesktop } from '../../support/counting-desktop.js';
import { waitFor } from '../../support/session-pair.js';
import { startXvfb, waitForWindow, type XvfbDisplay } from '../../support/xvfb-display.js';
import {
  startRemoteControlSession,
  type RemoteControlSession,
  type TestTechnician,
} from './remote-control-session.js';

/** Over the xterm (at the top left): focus follows the pointer, there is no window manager. */
const OVER_XTERM = { x: 200, y: 120 };
const XTERM_AREA = { x: 0, y: 0, width: 560, height: 360 };

async function grantedControl(session: RemoteControlSession, technician: TestTechnician) {
  session.grants.add(`${technician.id} remote-control`);
  const decision = await technician.consent.request('user-1', 'remote-control', 'Control');
  expect(decision).to.equal('granted');
}

async function firstFrame(technician: TestTechnician): Promise<void> {
  const size = await technician.viewer.start({ quality: 80, fps: 30 });
  expect(size).to.deep.equal({ width: 1280, height: 720 });
  await waitFor(() => technician.viewer.statistics().frames > 0, 'the first frame', 10_000);
}

/** Resolves after `ms`, for checks that something did NOT happen in that time. */
const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('remote control of a real X11 desktop through a session', function () {
  this.timeout(60_000);
  let x: XvfbDisplay;
  let desktop: X11Desktop;
  let folder: string;
  let session: RemoteControlSession | undefined;

  before(async () => {
    x = await startXvfb();
    folder = await mkdtemp(path.join(tmpdir(), 'tether-x11-'));
    x.run('xterm', ['-geometry', '80x24+0+0', '-e', '/bin/sh']);
    await waitForWindow(x, 'XTerm');
    desktop = await X11Desktop.open({ display: x.display });
  });

  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  after(async () => {
    await desktop?.close();
    await x?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('types a command into the xterm, with shifted characters, and the file appears', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);

    const file = path.join(folder, 'typed.txt');
    tech.viewer.movePointer(OVER_XTERM.x, OVER_XTERM.y);
    tech.viewer.typeText(`echo "Hi: $((6*7))!" > ${file}\n`);
    await tech.viewer.flushInput();
    await waitFor(() => existsSync(file), 'the typed command made its file', 10_000);
    await waitFor(() => readFileText(file) === 'Hi: 42!\n', 'the file holds what was typed');
  });

  it('holds modifiers: Control+C interrupts a command in the xterm', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);

    const file = path.join(folder, 'after-interrupt');
    tech.viewer.movePointer(OVER_XTERM.x, OVER_XTERM.y);
    tech.viewer.typeText('sleep 30\n');
    await tech.viewer.flushInput();
    await quietFor(300);
    tech.viewer.pressCombination(['Control', 'c']);
    tech.viewer.typeText(`touch ${file}\n`);
    await tech.viewer.flushInput();
    // Only an interrupted sleep lets the shell run touch within 30 seconds.
    await waitFor(() => existsSync(file), 'the shell ran the next command', 10_000);
  });

  it('lands a click at the coordinates the technician gave', async () => {
    session = await startRemoteControlSession(desktop);
    const recorder = await ClickRecorder.open(x.display, {
      x: 700,
      y: 400,
      width: 300,
      height: 200,
    });
    try {
      const tech = await session.technician('tech-control');
      await grantedControl(session, tech);
      await firstFrame(tech);
      tech.viewer.click(757, 463);
      tech.viewer.click(900, 550, 2);
      await tech.viewer.flushInput();
      await waitFor(() => recorder.clicks.length === 2, 'two clicks reached the window');
      expect(recorder.clicks).to.deep.equal([
        { x: 57, y: 63, rootX: 757, rootY: 463, button: 1 },
        { x: 200, y: 150, rootX: 900, rootY: 550, button: 3 },
      ]);
    } finally {
      await recorder.close();
    }
  });

  it('shows the screen: the assembled frames match a capture of the display', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);
    await waitFor(() => tech.viewer.statistics().frames > 0, 'frames');
    await quietFor(500);

    const truth = await desktop.capture({ x: 0, y: 0, width: 1280, height: 720 });
    expect(meanDifference(truth.pixels, tech.screen.pixels)).to.be.below(6);
    // The xterm is there: its area is not the plain root background.
    const xtermPixels = new Set<number>();
    for (let i = 0; i < 200; i++) xtermPixels.add(tech.screen.pixel(10 + i, 10 + i)[0]);
    expect(xtermPixels.size).to.be.greaterThan(1);
  });

  it('without the end user’s consent captures nothing and injects nothing', async () => {
    const counting = new CountingDesktop(desktop);
    session = await startRemoteControlSession(counting);
    const tech = await session.technician('tech-control');
    // Asked and denied: the end user answers no (nothing in `grants`).
    expect(await tech.consent.request('user-1', 'remote-control', 'Control')).to.equal('denied');

    const refusals: string[] = [];
    tech.viewer.on('refused', ({ what }) => refusals.push(what));
    const started = await tech.viewer.start().catch((error: unknown) => error);
    expect(started).to.be.instanceOf(ViewRefusedError);
    const before = await desktop.capture(XTERM_AREA);
    const file = path.join(folder, 'never-without-consent');
    tech.viewer.movePointer(OVER_XTERM.x, OVER_XTERM.y);
    tech.viewer.typeText(`touch ${file}\n`);
    await tech.viewer.flushInput();
    await waitFor(() => refusals.includes('input'), 'the input was refused');
    await quietFor(1000);

    expect(existsSync(file)).to.equal(false);
    expect(counting.captures).to.equal(0);
    expect(counting.inputs).to.equal(0);
    const after = await desktop.capture(XTERM_AREA);
    expect(Buffer.from(after.pixels).equals(Buffer.from(before.pixels))).to.equal(true);
  });

  it('lets a technician with view rights only watch, and refuses its input', async () => {
    const counting = new CountingDesktop(desktop);
    session = await startRemoteControlSession(counting);
    const tech = await session.technician('tech-view');
    session.grants.add('tech-view desktop-view');
    session.grants.add('tech-view remote-control');
    expect(await tech.consent.request('user-1', 'desktop-view', 'See')).to.equal('granted');
    // Its certificate lacks remote-control: denied without asking, whatever the user would say.
    expect(await tech.consent.request('user-1', 'remote-control', 'Control')).to.equal('denied');
    await firstFrame(tech);

    const refusals: string[] = [];
    tech.viewer.on('refused', ({ what }) => refusals.push(what));
    const before = await desktop.capture(XTERM_AREA);
    const file = path.join(folder, 'never-from-a-viewer');
    tech.viewer.movePointer(OVER_XTERM.x, OVER_XTERM.y);
    tech.viewer.typeText(`touch ${file}\n`);
    tech.viewer.click(OVER_XTERM.x, OVER_XTERM.y);
    await tech.viewer.flushInput();
    await waitFor(() => refusals.includes('input'), 'the input was refused');
    await quietFor(1000);

    expect(existsSync(file)).to.equal(false);
    expect(counting.inputs).to.equal(0);
    expect(counting.captures).to.be.greaterThan(0);
    const after = await desktop.capture(XTERM_AREA);
    expect(Buffer.from(after.pixels).equals(Buffer.from(before.pixels))).to.equal(true);
  });

  it('stops streaming and injecting at once when the end user revokes', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);
    const stopped: string[] = [];
    tech.viewer.on('stopped', ({ why }) => stopped.push(why));

    await session.endUserConsent.revoke('remote-control');
    await waitFor(() => stopped.includes('not-allowed'), 'the stream stopped');
    const frames = tech.viewer.statistics().frames;
    const file = path.join(folder, 'never-after-revoke');
    tech.viewer.movePointer(OVER_XTERM.x, OVER_XTERM.y);
    tech.viewer.typeText(`touch ${file}\n`);
    await tech.viewer.flushInput();
    await quietFor(1000);
    expect(existsSync(file)).to.equal(false);
    expect(tech.viewer.statistics().frames).to.equal(frames);
  });

  it('takes the quality and frame rate the technician sets', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);
    const statuses: { quality: number; fps: number }[] = [];
    tech.viewer.on('status', (status) => statuses.push(status));
    await tech.viewer.setQuality(20);
    await tech.viewer.setFrameRate(5);
    await waitFor(() => statuses.length >= 2, 'the end user side confirmed the limits');
    expect(statuses.at(-1)).to.include({ quality: 20, fps: 5 });
    expect(session.host.streamOf('tech-control')?.stats()).to.include({ quality: 20, fps: 5 });
  });

  it('follows a change of screen size', async () => {
    session = await startRemoteControlSession(desktop);
    const tech = await session.technician('tech-control');
    await grantedControl(session, tech);
    await firstFrame(tech);
    const resized: string[] = [];
    tech.viewer.on('resized', ({ width, height }) => resized.push(`${width}x${height}`));
    try {
      x.runSync('xrandr', ['--fb', '1024x600']);
      await waitFor(() => resized.includes('1024x600'), 'the viewer heard of the new size');
      await waitFor(() => tech.screen.width === 1024, 'a frame of the new size arrived');
      expect(tech.screen.height).to.equal(600);
    } finally {
      x.runSync('xrandr', ['--fb', '1280x720']);
      await waitFor(() => desktop.size().width === 1280, 'the size is back');
    }
  });
});

function readFileText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Mean absolute difference of red, green and blue between two RGB(X|A) buffers. */
function meanDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).to.equal(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) {
    sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!);
    sum += Math.abs(a[i + 2]! - b[i + 2]!);
  }
  return sum / ((a.length / 4) * 3);
}
