import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifyAppletTicket } from '../../sdk/session/applet-ticket.js';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import { waitFor } from '../support/identity-helpers.js';
import { makeGroup, type RemoteMember } from '../support/remote-people.js';
import {
  createSession,
  NodeTechnician,
  PROBE,
  startJoinWorld,
  type JoinWorld,
} from './join-world.js';

const STEP = { timeout: 15_000 };
const PHONE = { width: 390, height: 844 };

describe('the join page: wrong codes, the applet file, a phone, the single prompt', function () {
  this.timeout(120_000);
  let world: JoinWorld;
  let browser: Browser;
  let alice: RemoteMember;
  let context: BrowserContext | undefined;
  let technician: NodeTechnician | undefined;

  before(async () => {
    world = await startJoinWorld();
    alice = await world.technician('alice@example.test', 'Alice Martin');
    browser = await launchChromium();
  });
  afterEach(async () => {
    technician?.dispose();
    technician = undefined;
    await context?.close();
    context = undefined;
  });
  after(async () => {
    await browser?.close();
    await world?.stop();
  });

  async function openJoinPage(viewport?: { width: number; height: number }): Promise<Page> {
    context = await newContext(browser, viewport);
    const page = await context.newPage();
    await page.goto(`${world.engine.url}/join/`);
    return page;
  }

  /** Types the code and name, continues, and picks a way. */
  async function enter(page: Page, code: string, way: RegExp): Promise<void> {
    await page.getByLabel('Session code').fill(code);
    await page.getByLabel('Your name').fill('Pat Doe');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: way }).click(STEP);
  }

  it('checks the code locally, then shows a wrong code on the code field', async () => {
    const page = await openJoinPage();
    const problems = pageProblems(page);
    await page.getByLabel('Session code').fill('12345');
    await page.getByLabel('Session code').press('Enter');
    await page.getByText('The code has 6 digits, like 123456.').waitFor(STEP);
    expect(await page.locator(':focus').getAttribute('id')).to.equal('join-code');

    const session = await createSession(world, alice);
    const wrong = session.joinCode === '000000' ? '000001' : '000000';
    await enter(page, wrong, /Chat in this browser/);
    const error = page.getByRole('alert');
    await error.getByText('This code is wrong, used or expired.', { exact: false }).waitFor(STEP);
    expect(await page.getByLabel('Session code').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.getByLabel('Your name').inputValue(), 'the name is kept').to.equal('Pat Doe');
    await saveScreenshot(page, 'join-wrong-code');

    await enter(page, session.joinCode, /Chat in this browser/);
    await page.getByText('Waiting for your technician…').waitFor(STEP);
    expect(problems.filter((p) => !p.includes('status of 404'))).to.deep.equal([]);
  });

  it("downloads a session file that the applet's own verifier accepts", async () => {
    const session = await createSession(world, alice);
    const page = await openJoinPage();
    const problems = pageProblems(page);
    const download = page.waitForEvent('download', STEP);
    await enter(page, session.joinCode, /Download the support applet/);
    const saved = await download;
    expect(saved.suggestedFilename()).to.equal('tether-session.json');
    const file = JSON.parse(await readFile(await saved.path(), 'utf8')) as unknown;
    const ticket = verifyAppletTicket(file, new Date());
    expect(ticket.sessionId).to.equal(session.sessionId);
    expect(ticket.engineKey).to.equal(session.engineKey);
    expect(ticket.server).to.equal(world.engine.url);
    await page.getByText('tether-applet --ticket tether-session.json').waitFor();
    await saveScreenshot(page, 'join-applet');

    const reused = await world.engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code: session.joinCode },
    });
    expect(reused.status, 'the download used the code up').to.equal(404);
    expect(problems).to.deep.equal([]);
  });

  it('fits a phone screen: code entry, chat and the consent prompt at 390x844', async () => {
    const session = await createSession(world, alice);
    const page = await openJoinPage(PHONE);
    const problems = pageProblems(page);
    await page.getByLabel('Session code').fill(session.joinCode);
    await page.getByLabel('Your name').fill('Pat Doe');
    await saveScreenshot(page, 'join-phone-code');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /Chat in this browser/ }).click(STEP);

    technician = new NodeTechnician(world, session, alice.token);
    const endUser = await technician.connectToEndUser();
    await technician.chat.send('Hi Pat! I can help with the printer.').delivered;
    await page.getByText('Hi Pat! I can help with the printer.').waitFor(STEP);
    await page.getByLabel('Message to your technician').fill('Great, thank you!');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Delivered', { exact: true }).waitFor({ state: 'attached', ...STEP });
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(PHONE.width);
    expect(await page.getByRole('button', { name: 'End session' }).isVisible()).to.equal(true);
    await saveScreenshot(page, 'join-phone-chat');

    const asked = technician.consent.request(endUser, PROBE.see.id, 'To check the queue');
    const allow = page.getByRole('dialog').getByRole('button', { name: 'Allow' });
    await allow.waitFor(STEP);
    const box = (await allow.boundingBox())!;
    expect(box.x + box.width, 'the prompt fits the width').to.be.at.most(PHONE.width);
    await saveScreenshot(page, 'join-phone-consent');
    await allow.click();
    expect(await asked).to.equal('granted');
    expect(problems).to.deep.equal([]);
  });

  it('asks the single prompt once where policy allows; Allow all grants the rest', async () => {
    const seniors = await makeGroup(world.engine.request, world.admin, 'Seniors', {
      allowed: [PROBE.see.id, PROBE.control.id, 'single-prompt'],
      denied: [],
    });
    const sam = await world.technician('sam@example.test', 'Sam Okafor', seniors);
    const session = await createSession(world, sam);
    const page = await openJoinPage();
    const problems = pageProblems(page);
    await enter(page, session.joinCode, /Chat in this browser/);
    technician = new NodeTechnician(world, session, sam.token);
    const endUser = await technician.connectToEndUser();

    const first = technician.consent.request(endUser, PROBE.see.id, 'Let me look');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Allow all of this for the rest of this session?').waitFor(STEP);
    await dialog.getByText(PROBE.control.consentPrompt, { exact: false }).waitFor();
    await saveScreenshot(page, 'join-single-prompt');
    await dialog.getByRole('button', { name: 'Allow all' }).click();
    expect(await first).to.equal('granted');
    expect(await technician.consent.request(endUser, PROBE.control.id, 'And drive')).to.equal(
      'granted',
    );
    expect(await dialog.count(), 'asked once').to.equal(0);
    await page.getByRole('button', { name: `Revoke ${PROBE.control.title}` }).click();
    expect(await waitFor(() => technician!.revoked.includes(PROBE.control.id), 10_000)).to.equal(
      true,
    );
    const again = technician.consent.request(endUser, PROBE.control.id, 'Once more');
    await dialog.getByText(PROBE.control.consentPrompt).waitFor(STEP);
    await dialog.getByRole('button', { name: 'Deny' }).click();
    expect(await again, 'a revoked permission is asked again').to.equal('denied');
    expect(problems).to.deep.equal([]);
  });

  // Last: it leaves this engine refusing joins from 127.0.0.1 for ten minutes.
  it('says so when too many wrong codes came from the network (429)', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await world.engine.request('/api/v1/sessions/join', {
        method: 'POST',
        body: { code: String(100000 + attempt) },
      });
    }
    const page = await openJoinPage();
    await enter(page, '999999', /Chat in this browser/);
    await page.getByText('Too many wrong codes were tried', { exact: false }).waitFor(STEP);
    expect(await page.getByLabel('Session code').getAttribute('aria-invalid')).to.equal('true');
  });
});
