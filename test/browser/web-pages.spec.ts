import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../../sdk/testing/test-engine.js';
import { launchChromium, newContext, pageProblems } from '../support/browser.js';

describe('the engine serves its browser pages', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let browser: Browser;

  before(async () => {
    engine = await startTestEngine();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('sends every answer with a strict Content-Security-Policy and no framing', async () => {
    for (const pathname of ['/console/', '/join/', '/api/v1/ui/panels', '/health']) {
      const answer = await engine.request(pathname);
      expect(answer.status, pathname).to.equal(200);
      const policy = String(answer.headers['content-security-policy']);
      expect(policy, pathname).to.include("script-src 'self'");
      expect(policy, pathname).to.include("frame-ancestors 'none'");
      expect(policy, pathname).not.to.include('unsafe-inline');
      expect(answer.headers['x-frame-options'], pathname).to.equal('DENY');
    }
  });

  it('redirects the root to the console and a bare app folder to its page', async () => {
    expect((await engine.request('/')).headers.location).to.equal('/console/');
    expect((await engine.request('/admin')).headers.location).to.equal('/admin/');
  });

  it('refuses paths outside the app folders, whatever their spelling', async () => {
    const attempts = [
      '/console/../../package.json',
      '/console/%2e%2e%2fpackage.json',
      '/console/..%2f..%2fpackage.json',
      '/assets/../web/console/index.html',
      '/console/.hidden.js',
      '/console/main.ts',
      '/web/console/index.html',
      '/ui/plugins/chat/index.js',
      '/ui/plugins/chat/../../../package.json',
    ];
    for (const pathname of attempts) {
      const answer = await engine.request(pathname);
      expect(answer.status, pathname).to.be.oneOf([400, 404]);
    }
  });

  it('answers a write to a page with 404 and loses nothing', async () => {
    const answer = await engine.request('/console/', { method: 'POST', body: {} });
    expect(answer.status).to.equal(404);
  });

  it('loads each app in Chromium with no CSP violation or failed request', async () => {
    const context = await newContext(browser);
    for (const app of ['console', 'admin', 'join']) {
      const page = await context.newPage();
      const problems = pageProblems(page);
      await page.goto(`${engine.url}/${app}/`);
      await page.locator('#app *').first().waitFor({ timeout: 10_000 });
      expect(problems, app).to.deep.equal([]);
      await page.close();
    }
    await context.close();
  });
});
