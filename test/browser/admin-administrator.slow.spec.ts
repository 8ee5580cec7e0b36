import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestEngine, type TestEngine } from '../../sdk/testing/test-engine.js';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import {
  ADMIN_PASSWORD,
  addGroup,
  addMember,
  base32Decode,
  referenceCode,
  setPolicy,
} from '../support/identity-helpers.js';

const STEP = { timeout: 15_000 };

describe('admin center for an administrator with a reach, in Chromium', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  let browser: Browser;
  const group = { north: '', desk: '', south: '' };
  const problems: string[] = [];

  async function openPage(): Promise<Page> {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP.timeout);
    const own = pageProblems(page);
    page.on('close', () => problems.push(...own));
    return page;
  }

  /** Signs in from the keyboard alone: Tab between the fields, Enter to submit. */
  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${engine.url}/admin/`);
    await page.getByLabel('Organisation').focus();
    await page.keyboard.type(engine.firstStart!.tenant);
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
  }

  before(async () => {
    engine = await startTestEngine();
    const master = await engine.signInFirstAdmin(ADMIN_PASSWORD);
    group.north = await addGroup(engine, 'North');
    group.desk = await addGroup(engine, 'Desk', group.north);
    group.south = await addGroup(engine, 'South');
    const locked = await engine.request(`/api/v1/groups/${group.north}/permissions/reboot`, {
      method: 'PUT',
      headers: master,
      body: { allowed: true, locked: true },
    });
    expect(locked.status, locked.text).to.equal(200);
    await addMember(engine, 'olga@example.test', ADMIN_PASSWORD, 'administrator');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it("lets the master administrator set an administrator's reach", async () => {
    const page = await openPage();
    await signIn(page, engine.firstStart!.email, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Organisation' }).waitFor(STEP);
    await page.getByRole('button', { name: 'Change reach' }).click();
    const form = page.getByRole('form', { name: 'Reach of olga' });
    await form.getByLabel('North').check();
    await form.getByRole('button', { name: 'Save reach' }).click();
    await page.locator('.reach-list li', { hasText: 'olga' }).getByText('North').waitFor(STEP);
    await page.close();
  });

  it('asks the administrator for a second factor and sets up an authenticator app', async () => {
    await setPolicy(engine, { secondFactor: { required: 'administrators', methods: ['totp'] } });
    const page = await openPage();
    await signIn(page, 'olga@example.test', ADMIN_PASSWORD);
    const secret = await page.locator('.totp-secret').innerText(STEP);
    expect(await page.getByAltText('QR code for your authenticator app').count()).to.equal(1);
    await saveScreenshot(page, 'admin-second-factor-setup');
    const code = referenceCode(base32Decode(secret), Math.floor(Date.now() / 30_000));
    await page.getByLabel('Six-digit code').fill(code);
    await page.getByLabel('Six-digit code').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Organisation' }).waitFor(STEP);

    const tree = page.getByLabel('Organisation tree');
    expect(await tree.locator('.tree-name').allInnerTexts()).to.deep.equal(['North', 'Desk']);
    const nav = await page.getByRole('navigation', { name: 'Sections' }).innerText();
    expect(nav).not.to.contain('Policies');
    expect(nav).not.to.contain('Chat transcripts');
    const parents = await page
      .getByRole('form', { name: 'New group' })
      .getByLabel('Inside')
      .locator('option')
      .allInnerTexts();
    expect(parents).to.deep.equal(['North', 'North / Desk']);

    await page.getByRole('link', { name: 'Permissions' }).click();
    await page
      .getByRole('button', { name: /^Reboot in Desk: allowed \(inherited, locked/ })
      .click();
    const editor = page.getByRole('form', { name: 'Change a permission' });
    await editor.getByText('you cannot change it').waitFor(STEP);
    expect(await editor.getByRole('button', { name: 'Save permission' }).isDisabled()).to.equal(
      true,
    );
    expect(await editor.getByLabel(/Lock it here/).count()).to.equal(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor(STEP);
    await page.close();
  });

  it('reported no page error, CSP violation or failed request', () => {
    expect(problems).to.deep.equal([]);
  });
});
