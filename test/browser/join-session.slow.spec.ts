import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../support/identity-helpers.js';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import type { RemoteMember } from '../support/remote-people.js';
import {
  createSession,
  NodeTechnician,
  PROBE,
  PROBE_PANEL_TEXT,
  startJoinWorld,
  type CreatedSession,
  type JoinWorld,
} from './join-world.js';

const STEP = { timeout: 15_000 };

describe('the join page, in Chromium, with a technician over the real gateway', function () {
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

  /** Opens the join link with the code in its fragment, types a name, joins in the browser. */
  async function joinInBrowser(session: CreatedSession, name: string): Promise<Page> {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${world.engine.url}/join/#${session.joinCode}`);
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Your name').press('Enter');
    await page.getByRole('button', { name: /Chat in this browser/ }).click(STEP);
    await page.getByText('Waiting for your technician…').waitFor(STEP);
    return page;
  }

  it('joins with the code from the keyboard, chats both ways and shows the same SAS', async () => {
    const session = await createSession(world, alice);
    context = await newContext(browser);
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${world.engine.url}/join/#${session.joinCode}`);

    expect(new URL(page.url()).hash, 'the code leaves the address bar').to.equal('');
    const code = page.getByLabel('Session code');
    expect(await code.inputValue()).to.equal(session.joinCode);
    expect(await code.getAttribute('inputmode')).to.equal('numeric');
    expect(await code.getAttribute('autocomplete')).to.equal('one-time-code');
    await page.keyboard.type('Pat Doe');
    expect(await page.getByLabel('Your name').inputValue(), 'focus starts on the name').to.equal(
      'Pat Doe',
    );
    await saveScreenshot(page, 'join-code');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /How would you like to get help, Pat Doe/ }).waitFor();
    await saveScreenshot(page, 'join-choice');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Waiting for your technician…').waitFor(STEP);
    await page.getByText(PROBE_PANEL_TEXT).waitFor({ state: 'attached', ...STEP });
    await saveScreenshot(page, 'join-waiting');

    technician = new NodeTechnician(world, session, alice.token);
    const endUser = await technician.connectToEndUser();
    await page.getByText('Alice Martin').first().waitFor(STEP);
    const shown = (await page.locator('.sas').first().textContent())!.replace(/\s/g, '');
    expect(shown, 'both sides show one SAS').to.equal(technician.sas());

    await technician.chat.send('Hello Pat, I am looking at your ticket now.').delivered;
    await page.getByText('Hello Pat, I am looking at your ticket now.').waitFor(STEP);
    technician.chat.setTyping(true);
    await page.getByText('Alice Martin is typing…').waitFor(STEP);
    technician.chat.setTyping(false);

    const input = page.getByLabel('Message to your technician');
    await input.fill('Thanks! The printer says offline.');
    await input.press('Enter');
    await page.getByText('Delivered', { exact: true }).waitFor({ state: 'attached', ...STEP });
    expect(await waitFor(() => technician!.received.length === 1, 10_000)).to.equal(true);
    expect(technician.received[0]).to.include({
      text: 'Thanks! The printer says offline.',
      from: endUser,
    });
    await technician.chat.send('Got it. Let me have a look at the print queue.').delivered;
    await page.getByText('Let me have a look at the print queue.').waitFor(STEP);
    await saveScreenshot(page, 'join-chat');
    expect(problems).to.deep.equal([]);
  });
});
