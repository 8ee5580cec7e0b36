import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import {
  addMember,
  base32Decode,
  referenceCode,
  setPolicy,
  stepOf,
} from '../support/identity-helpers.js';
import { PROBE, startJoinWorld, type JoinWorld } from './join-world.js';

const EMAIL = 'riley@helpdesk.test';
const PASSWORD = 'a long and quiet helpdesk passphrase 19';
const STEP = { timeout: 15_000 };
const TO_CUSTOMER = 'Hi Jordan, I can see your session. Which printer is it?';
const TO_TECHNICIAN = 'The one on the second floor, it shows <b>offline</b>.';

/**
 * The whole session in two browsers: the technician in the console, the customer on the join
 * page, nothing in between but the engine and its gateway.
 */
describe('a technician in the console and a customer on the join page', function () {
  this.timeout(180_000);
  let world: JoinWorld;
  let browser: Browser;
  let technicianContext: BrowserContext;
  let customerContext: BrowserContext;
  let console_: Page;
  let customer: Page;
  let consoleProblems: string[];
  let customerProblems: string[];

  before(async () => {
    world = await startJoinWorld();
    await addMember(world.engine, EMAIL, PASSWORD, 'technician', world.groupId);
    await setPolicy(world.engine, { secondFactor: { required: 'everyone', methods: ['totp'] } });
    browser = await launchChromium();
    technicianContext = await newContext(browser);
    customerContext = await newContext(browser, { width: 390, height: 844 });
    console_ = await technicianContext.newPage();
    customer = await customerContext.newPage();
    console_.setDefaultTimeout(STEP.timeout);
    customer.setDefaultTimeout(STEP.timeout);
    consoleProblems = pageProblems(console_);
    customerProblems = pageProblems(customer);
  });
  after(async () => {
    await technicianContext?.close();
    await customerContext?.close();
    await browser?.close();
    await world?.stop();
  });

  it('signs in with TOTP, creates a session, chats, gets consent and ends it', async () => {
    await signInWithNewAuthenticator();

    await console_.getByLabel("Customer's name (optional)").fill('Jordan');
    await console_.getByRole('button', { name: 'Create session' }).click();
    const view = console_.locator('article.session:not([hidden])');
    const code = (await view.getByTestId('join-code').textContent())!.trim();
    expect(code).to.match(/^\d{6}$/);

    await customer.goto(`${world.engine.url}/join/`);
    await customer.getByLabel('Session code').fill(code);
    await customer.getByLabel('Your name').fill('Jordan Price');
    await customer.getByLabel('Your name').press('Enter');
    await customer.getByRole('button', { name: /Chat in this browser/ }).click();
    await view.getByTestId('session-state').filter({ hasText: 'Active' }).waitFor();
    await customer.getByText('Riley', { exact: false }).first().waitFor();
    const techSas = (await view.getByTestId('sas').textContent())!.replace(/\s/g, '');
    const customerSas = (await customer.locator('.sas').first().textContent())!.replace(/\s/g, '');
    expect(customerSas, 'both pages show one security code').to.equal(techSas);

    await sendFromConsole(view, TO_CUSTOMER);
    await customer.getByText(TO_CUSTOMER).waitFor();
    const input = customer.getByLabel('Message to your technician');
    await input.fill(TO_TECHNICIAN);
    await input.press('Enter');
    const line = view.locator('.feed-item', { hasText: 'second floor' });
    await line.waitFor();
    expect(await line.locator('.feed-text').textContent()).to.equal(TO_TECHNICIAN);

    await view.getByRole('button', { name: `Ask for ${PROBE.see.title}` }).click();
    const dialog = customer.getByRole('dialog');
    await dialog.locator('.consent-prompt', { hasText: PROBE.see.consentPrompt }).waitFor();
    await saveScreenshot(customer, 'console-join-customer-consent');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await view.locator(`tr[data-permission="${PROBE.see.id}"]`, { hasText: 'Granted' }).waitFor();
    await customer.getByRole('button', { name: `Revoke ${PROBE.see.title}` }).waitFor();
    await saveScreenshot(console_, 'console-join-technician');

    await view.getByRole('button', { name: 'End session' }).click();
    await view.getByText('The session has ended').waitFor();
    await customer.getByRole('heading', { name: 'Your technician ended the session' }).waitFor();
    await saveScreenshot(customer, 'console-join-customer-ended');
    expect(await customer.locator('#app b, #app img').count(), 'markup stays text').to.equal(0);
    expect(consoleProblems, 'console').to.deep.equal([]);
    expect(customerProblems, 'join page').to.deep.equal([]);
  });

  /** First sign-in of a technician whose policy wants TOTP: password, QR setup, first code. */
  async function signInWithNewAuthenticator(): Promise<void> {
    await console_.goto(`${world.engine.url}/console/`);
    await console_.getByLabel('Organisation').fill(world.tenant);
    await console_.getByLabel('E-mail').fill(EMAIL);
    await console_.getByLabel('Password').fill(PASSWORD);
    await console_.getByLabel('Password').press('Enter');
    await console_.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    const secret = (await console_.getByTestId('totp-secret').textContent())!.trim();
    const code = referenceCode(base32Decode(secret), stepOf(new Date()));
    await console_.getByLabel('Six-digit code').fill(code);
    await console_.getByLabel('Six-digit code').press('Enter');
    await console_.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function sendFromConsole(view: ReturnType<Page['locator']>, text: string) {
    const message = view.getByLabel('Message to the customer');
    await message.fill(text);
    await message.press('Enter');
  }
});
