import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../engine/version.js';

/** Debian's Chromium, or the one `TETHER_CHROMIUM` names. */
export const CHROMIUM = process.env.TETHER_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots of the browser tests go (a CI artifact; not committed). */
export const SCREENSHOT_DIR = path.join(PACKAGE_ROOT, '.test-artifacts', 'screenshots');

/**
 * Flags for a root, sandboxed machine with a closed network (RECIPES.md): no sandbox, no GPU,
 * and none of the background connections Chromium makes to Google's hosts.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium. Where it is missing this throws with the command that installs
 * it: the browser suite never skips.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" ` +
        '(.ci/run installs it), or set TETHER_CHROMIUM to a Chromium binary',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A fresh context (its own cookies) that accepts the engine's self-signed certificate. */
export function newContext(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: true, viewport });
}

/**
 * Collects what a page reports as broken: uncaught errors, console errors (a CSP violation is
 * one) and failed requests. A test asserts the list is empty at its end.
 */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return problems;
}

/** Saves a full-page screenshot as `<name>.png` among the test artifacts; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
