import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { PACKAGE_ROOT } from '../../../engine/version.js';
import { RelayGateway } from '../../support/relay-gateway.js';
import {
  END_USER,
  TECHNICIAN,
  clientOf,
  closeAll,
  collect,
  defaultAdmissions,
  waitFor,
} from '../../support/session-pair.js';

const BUNDLE = path.join(PACKAGE_ROOT, 'dist', 'browser', 'tether-session.js');

interface BrowserClient {
  connect(): Promise<void>;
  close(): void;
  send(to: string, channel: string, body: Uint8Array): Promise<void>;
  peer(id: string): { sas: string } | undefined;
}

interface Bundle {
  SessionClient: new (options: object) => BrowserClient;
  ChatChannel: unknown;
  EndUserConsent: unknown;
  TechnicianConsent: unknown;
}

describe('browser bundle', () => {
  let relay: RelayGateway | undefined;
  before(function () {
    this.timeout(30_000);
    execFileSync('npm', ['run', '--silent', 'build:browser'], { cwd: PACKAGE_ROOT });
  });
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('pulls in neither ws, nor node: modules, nor pino', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).to.not.match(/require\(["'](ws|pino|crypto|net|tls|http|https)["']\)/);
    expect(code).to.not.match(/from\s*["']node:/);
    expect(code).to.not.match(/["']node:[a-z_]+["']/);
    expect(code).to.not.include('pino');
    expect(code).to.not.include('WebSocketServer');
  });

  it('runs an end user on global WebSocket and WebCrypto against a Node technician', async () => {
    const bundle = (await import(pathToFileURL(BUNDLE).href)) as Bundle;
    expect(typeof bundle.ChatChannel).to.equal('function');
    expect(typeof bundle.EndUserConsent).to.equal('function');
    expect(typeof bundle.TechnicianConsent).to.equal('function');

    relay = await RelayGateway.start({
      sessionId: `s-${randomUUID()}`,
      admissions: defaultAdmissions(),
    });
    const technician = clientOf(relay, TECHNICIAN);
    await technician.connect();
    const atTech = collect(technician, 'test');

    // The global a browser has; Node 20 has none, so the test lends it the ws one.
    const global = globalThis as { WebSocket?: unknown };
    global.WebSocket = WebSocket;
    let page: BrowserClient | undefined;
    try {
      page = new bundle.SessionClient({
        url: relay.url,
        engineKey: relay.engineKey,
        sessionId: relay.sessionId,
        credentials: END_USER,
        expectedPeerRole: 'technician',
      });
      await page.connect();
      await page.send('tech-1', 'test', Buffer.from('from the page'));
      await waitFor(() => atTech.length === 1, 'the technician got it');
      expect(atTech).to.deep.equal(['from the page']);
      await technician.send('user-1', 'test', Buffer.from('to the page'));
      expect(page.peer('tech-1')!.sas).to.equal(technician.peer('user-1')!.sas);
    } finally {
      page?.close();
      delete global.WebSocket;
    }
  });
});
