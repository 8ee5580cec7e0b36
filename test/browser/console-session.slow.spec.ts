import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/index.js';
import {
  ChatChannel,
  EndUserConsent,
  SessionClient,
  type ChatMessage,
  type ConsentQuestion,
} from '../../sdk/session/index.js';
import type { JoinedSession } from '../../sdk/session/joined-session.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { startTestEngine, type TestEngine } from '../../sdk/testing/test-engine.js';
import { launchChromium, newContext, pageProblems, saveScreenshot } from '../support/browser.js';
import { fixturePlugin } from '../support/fixture-paths.js';
import {
  addGroup,
  addMember,
  base32Decode,
  referenceCode,
  setPolicy,
  stepOf,
  tenantScope,
  waitFor,
} from '../support/identity-helpers.js';

const PASSWORD = 'a calm console passphrase 77';
const EMAIL = 'tess@a.test';
const MARKUP = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
const STEP = { timeout: 15_000 };
const HELLO = 'Hello Dana, I am connected. Can you open the backup settings?';
const REPLY = 'Done. The dialog says <b>error 0x80070005</b>, access denied.';

/** A Node end user: joined with the code, consenting to what it is asked, chatting. */
interface NodeEndUser {
  readonly client: SessionClient;
  readonly chat: ChatChannel;
  readonly heard: ChatMessage[];
  readonly asked: ConsentQuestion[];
}

describe('the technician console', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let groupId: string;
  let totpKey: Buffer;
  let confirmedStep: number;
  let admin: Record<string, string>;
  const endUsers: SessionClient[] = [];

  async function joinAsEndUser(code: string, name: string): Promise<NodeEndUser> {
    return connectEndUser(await joinWithCode(code, name));
  }

  async function joinWithCode(code: string, name: string): Promise<JoinedSession> {
    const answer = await engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code, name },
    });
    expect(answer.status, answer.text).to.equal(200);
    return answer.json as JoinedSession;
  }

  async function connectEndUser(joined: JoinedSession): Promise<NodeEndUser> {
    const client = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
      expectedPeerRole: 'technician',
      webSocket: nodeWebSocketFactory({ ca: engine.cert }),
      backend: nodeAsyncCryptoBackend,
    });
    endUsers.push(client);
    const asked: ConsentQuestion[] = [];
    new EndUserConsent(client, {
      ask: async (question) => {
        asked.push(question);
        return true;
      },
    });
    const chat = new ChatChannel(client);
    const heard: ChatMessage[] = [];
    chat.on('message', (message) => heard.push(message));
    await client.connect();
    return { client, chat, heard, asked };
  }

  /** Makes a session from the console's start page; its view, and the code it shows. */
  async function createInConsole(customer: string) {
    await page.getByRole('button', { name: /Queue and new session/ }).click();
    await page.getByLabel("Customer's name (optional)").fill(customer);
    await page.getByRole('button', { name: 'Create session' }).click();
    const view = page.locator('article.session:not([hidden])');
    const code = (await view.getByTestId('join-code').textContent())!.trim();
    return { view, code };
  }

  /** Types into the focused element and presses Enter: the keyboard, nothing else. */
  async function typeAndEnter(...fields: string[]): Promise<void> {
    for (const [index, text] of fields.entries()) {
      if (index > 0) await page.keyboard.press('Tab');
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Enter');
  }

  before(async () => {
    engine = await startTestEngine({ plugins: [fixturePlugin('camera-like')] });
    admin = await engine.signInFirstAdmin();
    groupId = await addGroup(engine, 'Helpdesk');
    await addMember(engine, EMAIL, PASSWORD, 'technician', groupId);
    await tenantScope(engine).groups.setPermission(groupId, 'camera-like.camera', {
      allowed: true,
      locked: false,
    });
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['totp'] } });
    browser = await launchChromium();
    context = await newContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(STEP.timeout);
    problems = pageProblems(page);
  });
  after(async () => {
    for (const client of endUsers) client.close();
    await context?.close();
    await browser?.close();
    await engine?.stop();
  });

  it('signs in by keyboard: TOTP set up the first time, a code the next', async () => {
    await page.goto(`${engine.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await saveScreenshot(page, 'console-sign-in');
    await typeAndEnter(engine.firstStart!.tenant, EMAIL, PASSWORD);

    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await saveScreenshot(page, 'console-totp-setup');
    totpKey = base32Decode(secret);
    confirmedStep = stepOf(new Date());
    await page.getByLabel('Six-digit code').waitFor();
    await typeAndEnter(referenceCode(totpKey, confirmedStep));
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('live', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await typeAndEnter(EMAIL, PASSWORD);
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await typeAndEnter(referenceCode(totpKey, confirmedStep + 1));
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(problems).to.deep.equal([]);
  });

  it('shows arrivals in the queue live, names as text, and picks one up', async () => {
    const arrive = async (name: string) => {
      const answer = await engine.request(`/api/v1/queues/${groupId}/arrivals`, {
        method: 'POST',
        body: { name },
      });
      expect(answer.status, answer.text).to.equal(200);
      return answer.json as JoinedSession;
    };
    await arrive('Robin Example');
    await arrive('Sam Lee');
    await page.locator('tr', { hasText: 'Sam Lee' }).waitFor();
    await saveScreenshot(page, 'console-queue');

    const quinn = await connectEndUser(await arrive(`Quinn ${MARKUP}`));
    const row = page.locator('tr', { hasText: 'Quinn' });
    expect(await row.locator('td').first().textContent()).to.equal(`Quinn ${MARKUP}`);
    await row.getByRole('button', { name: /Pick up/ }).click();
    const view = page.locator('article.session:not([hidden])');
    await view.getByTestId('session-state').filter({ hasText: 'Active' }).waitFor();
    expect(await view.locator('h1').textContent()).to.equal(`Quinn ${MARKUP}`);
    await view.getByTestId('sas').waitFor();
    const sas = quinn.client.peers()[0]!.sas;
    expect((await view.getByTestId('sas').textContent())!.replace(/\s/g, '')).to.equal(sas);
    expect(await page.locator('#app img').count(), 'no markup became an element').to.equal(0);
    await view.getByRole('button', { name: 'End session' }).click();
    await view.getByText('The session has ended').waitFor();
    expect(await waitFor(() => quinn.client.closed !== undefined, 10_000)).to.equal(true);
    expect(quinn.client.closed!.code).to.equal(4100);
    expect(problems).to.deep.equal([]);
  });

  it('runs a session: code, chat both ways, consent, and the end', async () => {
    const { view, code } = await createInConsole('Dana on the phone');
    expect(code).to.match(/^\d{6}$/);
    await view.getByText(`${engine.url}/join`).waitFor();

    const dana = await joinAsEndUser(code, 'Dana Whitfield');
    await view.getByTestId('session-state').filter({ hasText: 'Active' }).waitFor();
    await view.getByRole('heading', { name: 'Dana Whitfield' }).waitFor();
    const sas = dana.client.peers()[0]!.sas;
    expect((await view.getByTestId('sas').textContent())!.replace(/\s/g, '')).to.equal(sas);

    const input = view.getByLabel('Message to the customer');
    await input.fill(HELLO);
    await input.press('Enter');
    expect(await waitFor(() => dana.heard.length === 1, 10_000), 'the end user hears').to.equal(
      true,
    );
    expect(dana.heard[0]!.text).to.equal(HELLO);
    await dana.chat.send(REPLY).delivered;
    await view.locator('.feed-item', { hasText: 'The dialog says' }).waitFor();

    await view.getByRole('button', { name: 'Ask for Camera' }).click();
    await view
      .locator('tr[data-permission="camera-like.camera"]', { hasText: 'Granted' })
      .waitFor();
    expect(dana.asked.map((q) => q.permission)).to.deep.equal(['camera-like.camera']);
    expect(dana.asked[0]!.prompt).to.equal('Let the technician see through your camera?');
    await saveScreenshot(page, 'console-live-session');

    await dana.chat.send(MARKUP).delivered;
    const line = view.locator('.feed-item', { hasText: 'onerror' });
    await line.waitFor();
    expect(await line.locator('.feed-text').textContent()).to.equal(MARKUP);
    expect(await page.locator('#app img').count(), 'no markup became an element').to.equal(0);

    const ref = (await view.locator('.session-head .muted').textContent())!.trim();
    await view.getByRole('button', { name: 'End session' }).click();
    await view.getByText('The session has ended').waitFor();
    expect(await waitFor(() => dana.client.closed !== undefined, 10_000)).to.equal(true);
    expect(dana.client.closed).to.deep.include({ code: 4100 });
    const pwned = await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned);
    expect(pwned, 'no script from the other side ran').to.equal(undefined);

    let transcript: string[] = [];
    for (let tries = 0; tries < 50 && transcript.length < 3; tries++) {
      transcript = await transcriptOf(ref);
      if (transcript.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(transcript).to.deep.equal([HELLO, REPLY, MARKUP]);
    expect(problems).to.deep.equal([]);
  });

  it('keeps a message the customer did not acknowledge through a console reload', async () => {
    const { view, code } = await createInConsole('Robin, reloaded');
    const joined = await joinWithCode(code, 'Robin Vale');
    const robin = await connectEndUser(joined);
    await view.getByTestId('session-state').filter({ hasText: 'Active' }).waitFor();
    const ref = (await view.locator('.session-head .muted').textContent())!.trim();

    // Robin's line drops; what the technician writes meanwhile waits for an acknowledgement,
    // and the console is reloaded before one comes.
    robin.client.close();
    const away = 'While you were away: the backup finished.';
    await view.getByLabel('Message to the customer').fill(away);
    await view.getByLabel('Message to the customer').press('Enter');
    await view.locator('.feed-item', { hasText: away }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: /Open\s+Robin/ }).click();
    const back = await connectEndUser(joined);
    const heard = () => back.heard.filter((message) => message.text === away);
    expect(await waitFor(() => heard().length === 1, 10_000), 'sent again').to.equal(true);
    await page.locator('article.session:not([hidden]) .feed-item', { hasText: away }).waitFor();

    await page
      .locator('article.session:not([hidden])')
      .getByRole('button', { name: 'End session' })
      .click();
    let transcript: string[] = [];
    for (let tries = 0; tries < 50 && transcript.length < 1; tries++) {
      transcript = await transcriptOf(ref);
      if (transcript.length < 1) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(transcript, 'stored once').to.deep.equal([away]);
    const kept = await page.evaluate('Object.keys(sessionStorage)');
    expect(kept, 'nothing left kept for the session').to.deep.equal([]);
    // The reload may cut a transcript post short; the entry stayed kept and was posted again.
    const aborted = (problem: string) => problem.includes('/messages net::ERR_ABORTED');
    expect(problems.filter((problem) => !aborted(problem))).to.deep.equal([]);
  });

  /** The session's stored transcript, read back as an administrator would. */
  async function transcriptOf(ref: string): Promise<string[]> {
    const answer = await engine.request(
      `/api/v1/plugins/chat/transcripts?session=${encodeURIComponent(ref)}`,
      { headers: admin },
    );
    expect(answer.status, answer.text).to.equal(200);
    const items = (answer.json as { items: { text?: string }[] }).items;
    return items.map((item) => item.text ?? '');
  }
});
