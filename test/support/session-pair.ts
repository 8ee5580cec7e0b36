import { randomUUID } from 'node:crypto';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/index.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import {
  SessionClient,
  type GatewayCredentials,
  type SessionClientOptions,
  type SessionMessage,
} from '../../sdk/session/index.js';
import { RelayGateway, type RelayAdmission } from './relay-gateway.js';

export const TECHNICIAN: GatewayCredentials = { kind: 'technician', token: 'tech-token-1' };
export const END_USER: GatewayCredentials = {
  kind: 'end-user',
  participantId: 'user-1',
  secret: 'user-secret-1',
};

/** A technician with remote control and file transfer, and an end user. */
export function defaultAdmissions(policy = {}): RelayAdmission[] {
  return [
    {
      credentials: TECHNICIAN,
      participantId: 'tech-1',
      role: 'technician',
      permissions: ['remote-control', 'file-transfer'],
      policy,
    },
    { credentials: END_USER, participantId: 'user-1', role: 'end-user' },
  ];
}

/** The clients a test made, closed by {@link closeAll}. */
const made: SessionClient[] = [];

/** A client of `relay` with fast reconnects; `overrides` replace any option. */
export function clientOf(
  relay: RelayGateway,
  credentials: GatewayCredentials,
  overrides: Partial<SessionClientOptions> = {},
): SessionClient {
  const client = new SessionClient({
    url: relay.url,
    engineKey: relay.engineKey,
    sessionId: relay.sessionId,
    credentials,
    expectedPeerRole: credentials.kind === 'end-user' ? 'technician' : undefined,
    webSocket: nodeWebSocketFactory(),
    backend: nodeAsyncCryptoBackend,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 50 },
    retransmitMs: 200,
    ...overrides,
  });
  made.push(client);
  return client;
}

/** A relay with the default admissions, and a connected technician and end user. */
export async function startPair(policy = {}) {
  const relay = await RelayGateway.start({
    sessionId: `s-${randomUUID()}`,
    admissions: defaultAdmissions(policy),
  });
  const technician = clientOf(relay, TECHNICIAN);
  const endUser = clientOf(relay, END_USER);
  await technician.connect();
  await endUser.connect();
  await waitFor(() => technician.peer('user-1') !== undefined, 'the technician sees the user');
  return { relay, technician, endUser };
}

/** Closes every client made and `relays`. */
export async function closeAll(...relays: (RelayGateway | undefined)[]): Promise<void> {
  for (const client of made.splice(0)) client.close();
  for (const relay of relays) await relay?.close();
}

/** Resolves once `check` is true, polling every 5 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Collects what `client` receives on `channel`, as text. */
export function collect(client: SessionClient, channel: string): string[] {
  const seen: string[] = [];
  client.on('message', (m: SessionMessage) => {
    if (m.channel === channel) seen.push(Buffer.from(m.body).toString('utf8'));
  });
  return seen;
}
