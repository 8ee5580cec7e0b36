import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { X11Desktop } from '../../adapters/desktop-x11/index.js';
import { RemoteControlHost } from '../../plugins/remote-control/remote-control-host.js';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/index.js';
import { EndUserConsent, SessionClient } from '../../sdk/session/index.js';
import type { JoinedSession } from '../../sdk/session/joined-session.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import { addMember } from '../support/identity-helpers.js';
import { startXvfb, waitForWindow, type XvfbDisplay } from '../support/xvfb-display.js';
import { startJoinWorld, type JoinWorld } from './join-world.js';

const EMAIL = 'casey@helpdesk.test';
const PASSWORD = 'a patient desktop passphrase 42';
const STEP = { timeout: 15_000 };
/** Each side of the comparison is averaged over blocks of this many pixels squared. */
const BLOCK = 16;

/** Mean red, green, blue per BLOCK x BLOCK block of an RGBA or RGBX image. */
function blockMeans(pixels: ArrayLike<number>, width: number, height: number, stride: number) {
  const means: number[] = [];
  for (let by = 0; by + BLOCK <= height; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= width; bx += BLOCK) {
      const sum = [0, 0, 0];
      for (let y = by; y < by + BLOCK; y++) {
        for (let x = bx; x < bx + BLOCK; x++) {
          for (let c = 0; c < 3; c++) sum[c]! += pixels[y * stride + x * 4 + c]!;
        }
      }
      means.push(...sum.map((value) => value / (BLOCK * BLOCK)));
    }
  }
  return means;
}

/** What the test reads of the canvas (the tests compile without the DOM library). */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
  getBoundingClientRect(): { readonly width: number };
}

describe('the console’s desktop panel against an X11 desktop', function () {
  this.timeout(180_000);
  let world: JoinWorld;
  let x: XvfbDisplay;
  let desktop: X11Desktop;
  let folder: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let endUser: SessionClient | undefined;
  let host: RemoteControlHost | undefined;

  before(async () => {
    x = await startXvfb();
    folder = await mkdtemp(path.join(tmpdir(), 'tether-rc-console-'));
    x.run('xterm', ['-geometry', '80x24+0+0', '-e', '/bin/sh']);
    await waitForWindow(x, 'XTerm');
    desktop = await X11Desktop.open({ display: x.display });
    world = await startJoinWorld(['desktop-view', 'remote-control']);
    await addMember(world.engine, EMAIL, PASSWORD, 'technician', world.groupId);
    browser = await launchChromium();
    context = await newContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(STEP.timeout);
    problems = pageProblems(page);
  });
  after(async () => {
    await host?.dispose();
    endUser?.close();
    await context?.close();
    await browser?.close();
    await world?.stop();
    await desktop?.close();
    await x?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The end user in this process: joined with the code, allowing what it is asked. */
  async function joinWithDesktop(code: string): Promise<void> {
    const answer = await world.engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code, name: 'Morgan' },
    });
    expect(answer.status, answer.text).to.equal(200);
    const joined = answer.json as JoinedSession;
    endUser = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
      expectedPeerRole: 'technician',
      webSocket: nodeWebSocketFactory({ ca: world.engine.cert }),
      backend: nodeAsyncCryptoBackend,
    });
    const consent = new EndUserConsent(endUser, { ask: async () => true });
    host = new RemoteControlHost({ client: endUser, consent, desktop });
    await endUser.connect();
  }

  it('shows the xterm on the canvas, scaled to fit, once the customer allowed it', async () => {
    await page.goto(`${world.engine.url}/console/`);
    await page.getByLabel('Organisation').fill(world.tenant);
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Create session' }).click();
    const view = page.locator('article.session:not([hidden])');
    const code = (await view.getByTestId('join-code').textContent())!.trim();
    await joinWithDesktop(code);
    await view.getByTestId('session-state').filter({ hasText: 'Active' }).waitFor();

    await view.getByRole('button', { name: 'Ask for Remote control' }).click();
    await view.locator('tr[data-permission="remote-control"]', { hasText: 'Granted' }).waitFor();
    await view.getByRole('tab', { name: 'Desktop' }).click();
    await view.getByRole('button', { name: 'Start view' }).click();
    await view.getByRole('button', { name: 'Stop view' }).waitFor();
    await view.getByTestId('desktop-stats').filter({ hasText: 'fps' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const shown = await view.getByTestId('desktop-canvas').evaluate((element) => {
      const canvas = element as unknown as CanvasLike;
      const { width, height } = canvas;
      const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      const shownWidth = canvas.getBoundingClientRect().width;
      return { width, height, shownWidth, data: Array.from(data) };
    });
    expect([shown.width, shown.height]).to.deep.equal([1280, 720]);
    expect(shown.shownWidth, 'scaled to fit the panel').to.be.below(1280);
    const captured = await desktop.capture({ x: 0, y: 0, width: 1280, height: 720 });
    const fromCanvas = blockMeans(shown.data, 1280, 720, 1280 * 4);
    const fromScreen = blockMeans(captured.pixels, 1280, 720, captured.stride);
    const difference =
      fromCanvas.reduce((sum, value, i) => sum + Math.abs(value - fromScreen[i]!), 0) /
      fromCanvas.length;
    const spread = Math.max(...fromCanvas) - Math.min(...fromCanvas);
    expect(spread, 'the canvas is not blank').to.be.above(100);
    expect(difference, 'mean absolute difference per block and channel').to.be.below(6);
    await saveScreenshot(page, 'remote-control-console');

    // No window manager: X gives the keyboard to the window under the pointer, so the click
    // that focuses the canvas lands inside the xterm (top left) before the typing.
    const canvas = view.getByTestId('desktop-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const scale = box.width / 1280;
    await page.mouse.click(box.x + 120 * scale, box.y + 80 * scale);
    expect((await canvas.boundingBox())!.y, 'focusing the canvas scrolls nothing').to.equal(box.y);
    const marker = path.join(folder, 'typed-from-the-console');
    await page.keyboard.type(`touch '${marker}'`);
    await page.keyboard.press('Enter');
    expect(await fileAppears(marker, 10_000), 'the typed command ran in the xterm').to.equal(true);
    expect(problems).to.deep.equal([]);
  });
});

/** Whether `file` exists within `timeoutMs`, polling every 100 ms. */
async function fileAppears(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
