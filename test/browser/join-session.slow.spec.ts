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

  /** A session of Alice's that Pat Doe joined in the browser, and that page's problems. */
  async function sessionJoinedByPat() {
    const session = await createSession(world, alice);
    const page = await joinInBrowser(session, 'Pat Doe');
    return { session, page, problems: pageProblems(page) };
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

  it("asks consent in the manifest's words; Allow, Deny and Revoke do so", async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    const endUser = await technician.connectToEndUser();

    await technician.chat.send('Hi Pat, may I look at the print dialog on your screen?').delivered;
    await page.getByLabel('Message to your technician').fill('Sure, go ahead.');
    await page.getByLabel('Message to your technician').press('Enter');
    expect(await waitFor(() => technician!.received.length === 1, 10_000)).to.equal(true);
    const granted = technician.consent.request(endUser, PROBE.see.id, 'I need to see the error');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(STEP);
    expect(await dialog.getByRole('heading').textContent()).to.equal(
      'Alice Martin asks for your permission',
    );
    await dialog.getByText(PROBE.see.consentPrompt).waitFor();
    await dialog.getByText('I need to see the error').waitFor();
    expect(await page.locator('dialog :focus').count(), 'focus moved into the prompt').to.equal(1);
    await saveScreenshot(page, 'join-consent');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    expect(await granted).to.equal('granted');
    await dialog.waitFor({ state: 'detached', ...STEP });
    const revoke = page.getByRole('button', { name: `Revoke ${PROBE.see.title}` });
    await revoke.waitFor(STEP);

    const denied = technician.consent.request(endUser, PROBE.control.id, 'And control, please');
    await dialog.getByText(PROBE.control.consentPrompt).waitFor(STEP);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).to.equal('Deny');
    await page.keyboard.press('Enter');
    expect(await denied).to.equal('denied');
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).to.equal(1);

    const escaped = technician.consent.request(endUser, PROBE.control.id, 'Once more?');
    await dialog.waitFor(STEP);
    await page.keyboard.press('Escape');
    expect(await escaped, 'Escape denies').to.equal('denied');

    await revoke.click();
    expect(await waitFor(() => technician!.revoked.includes(PROBE.see.id), 10_000)).to.equal(true);
    expect(technician.consent.isGranted(endUser, PROBE.see.id)).to.equal(false);
    await page.getByText('Nothing beyond chat.', { exact: false }).waitFor(STEP);
    expect(problems).to.deep.equal([]);
  });

  it('tells the end user plainly that the technician ended the session', async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    await technician.connectToEndUser();
    await page.getByText('Alice Martin').first().waitFor(STEP);

    technician.client.end();
    await page.getByRole('heading', { name: 'Your technician ended the session' }).waitFor(STEP);
    await saveScreenshot(page, 'join-ended-by-technician');
    expect(await page.getByRole('button', { name: 'End session' }).count()).to.equal(0);
    expect(problems).to.deep.equal([]);
  });

  it('ends the session for everyone from the always-visible End session button', async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    await technician.connectToEndUser();

    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByRole('heading', { name: 'You ended the session' }).waitFor(STEP);
    expect(await page.locator(':focus').textContent()).to.equal('You ended the session');
    expect(await waitFor(() => technician!.closedWith !== undefined, 10_000)).to.equal(true);
    expect(technician.closedWith).to.deep.equal({ code: 4100, reason: 'ended-by-end-user' });
    const detail = await world.engine.request(`/api/v1/sessions/${session.id}`, {
      headers: alice.headers,
    });
    expect(detail.json).to.include({ state: 'closed', closeReason: 'ended-by-end-user' });
    expect(problems).to.deep.equal([]);
  });

  it("shows markup in the technician's name and chat as text, and runs none of it", async () => {
    const name = '<img src=x onerror="window.__tetherPwned=1"><b>Eve</b>';
    const eve = await world.technician('eve@example.test', name);
    const session = await createSession(world, eve);
    const page = await joinInBrowser(session, 'Pat Doe');
    const problems = pageProblems(page);
    technician = new NodeTechnician(world, session, eve.token);
    const endUser = await technician.connectToEndUser();

    const text =
      '<script>window.__tetherPwned=2</script><img src=x onerror="window.__tetherPwned=3">';
    await technician.chat.send(text).delivered;
    await page.getByText(text, { exact: true }).waitFor(STEP);
    await page.getByText(name, { exact: true }).first().waitFor(STEP);
    const asked = technician.consent.request(endUser, PROBE.see.id, '<i>trust me</i>');
    await page.getByRole('heading', { name: `${name} asks for your permission` }).waitFor(STEP);
    await page.getByRole('dialog').getByText('<i>trust me</i>').waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    expect(await asked).to.equal('denied');

    const injected = {
      pwned: await page.evaluate('window.__tetherPwned'),
      images: await page.locator('img[src="x"]').count(),
      markup: await page.locator('#app b, #app script, #app i').count(),
    };
    expect(injected).to.deep.equal({ pwned: undefined, images: 0, markup: 0 });
    expect(problems).to.deep.equal([]);
  });

  it('offers End session inside the consent prompt, as the page behind is inert', async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    const endUser = await technician.connectToEndUser();

    const asked = technician.consent.request(endUser, PROBE.control.id, 'Let me drive').then(
      (decision) => decision,
      () => 'not answered',
    );
    await page.getByRole('dialog').waitFor(STEP);
    await page.getByRole('button', { name: 'End the session instead' }).click();
    await page.getByRole('heading', { name: 'You ended the session' }).waitFor(STEP);
    expect(await asked).to.be.oneOf(['denied', 'not answered']);
    expect(await waitFor(() => technician!.closedWith !== undefined, 10_000)).to.equal(true);
    expect(technician.closedWith?.reason).to.equal('ended-by-end-user');
    expect(problems).to.deep.equal([]);
  });

  it('reconnects after a reload of the page, since the code works only once', async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    await technician.connectToEndUser();
    const before = technician.sas();

    await page.reload();
    await page.getByText('Alice Martin').first().waitFor(STEP);
    const restarted = await waitFor(() => technician!.sas() !== before, 10_000);
    expect(restarted, 'the page came back with a fresh key').to.equal(true);
    const shown = (await page.locator('.sas').first().textContent())!.replace(/\s/g, '');
    expect(shown).to.equal(technician.sas());
    await technician.chat.send('Still here after your reload.').delivered;
    await page.getByText('Still here after your reload.').waitFor(STEP);

    technician.client.end();
    await page.getByRole('heading', { name: 'Your technician ended the session' }).waitFor(STEP);
    await page.reload();
    await page.getByLabel('Session code').waitFor(STEP);
    expect(problems).to.deep.equal([]);
  });

  it('keeps what the end user typed while the technician was away across a reload', async () => {
    const { session, page, problems } = await sessionJoinedByPat();
    technician = new NodeTechnician(world, session, alice.token);
    await technician.connectToEndUser();
    await page.getByText('Alice Martin').first().waitFor(STEP);

    // The technician's connection drops: the end user may still write, and the message waits.
    technician.dispose();
    await page.getByPlaceholder('Your technician gets this once back').waitFor(STEP);
    const away = 'I restarted the printer meanwhile.';
    await page.getByLabel('Message to your technician').fill(away);
    await page.getByLabel('Message to your technician').press('Enter');
    await page.getByTitle('Sent, not yet delivered').waitFor({ state: 'attached', ...STEP });
    // The page reloads before the technician is back: the message survives in the tab.
    await page.reload();
    await page.getByText('Waiting for your technician…').waitFor(STEP);
    technician = new NodeTechnician(world, session, alice.token);
    await technician.connectToEndUser();
    const arrived = () => technician!.received.filter((message) => message.text === away);
    expect(await waitFor(() => arrived().length === 1, 10_000), 'sent again').to.equal(true);
    await page.getByText(away).waitFor(STEP);
    await page.getByTitle('Delivered').waitFor({ state: 'attached', ...STEP });
    const kept = await page.evaluate('Object.keys(sessionStorage)');
    expect(kept, 'nothing left to send, the credentials kept').to.deep.equal(['tether.join']);
    expect(problems).to.deep.equal([]);
  });
});
