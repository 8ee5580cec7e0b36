import { nodeAsyncCryptoBackend } from '../../sdk/crypto/index.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { DEFAULT_WINDOW } from '../../sdk/session/outbound-records.js';
import { SessionClient } from '../../sdk/session/session-client.js';
import { sleep } from './map-limit.js';
import type { EngineSeat } from './round-trip-job.js';
import { SendWindow } from './send-window.js';
import type { FrameSender } from './throughput-run.js';

/** The channel the session-client throughput rows send on. */
export const SDK_CHANNEL = 'bench';
const PEER_POLL_MS = 20;

/**
 * The SDK's own `SessionClient` in a bench seat, ready within `timeoutMs`: what an applet or a
 * console runs, records layer, ACKs and window included.
 */
export async function connectSessionClient(
  seat: EngineSeat,
  engineKey: string,
  ca: string,
  timeoutMs: number,
): Promise<SessionClient> {
  const client = new SessionClient({
    url: seat.gatewayUrl,
    engineKey,
    sessionId: seat.auth.sessionId,
    credentials: seat.auth.credentials,
    webSocket: nodeWebSocketFactory({ ca }),
    backend: nodeAsyncCryptoBackend,
  });
  const late = sleep(timeoutMs).then(() => {
    throw new Error('the session client was not ready in time');
  });
  await Promise.race([client.connect(), late]);
  return client;
}

/** The first peer the client knows, waited for at most `timeoutMs`. */
export async function firstSessionPeer(client: SessionClient, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const peer = client.peers()[0];
    if (peer !== undefined) return peer.participantId;
    if (Date.now() > deadline) throw new Error('no peer arrived in time');
    await sleep(PEER_POLL_MS);
  }
}

/**
 * A throughput sender on a technician's session client. `send` hands a body to the client and
 * returns at once; `room` waits while the bodies not yet acknowledged fill the client's window
 * (a SendWindow of its size), so the client never queues a send behind a full window and the
 * run's time limit holds.
 */
export function sessionClientSender(client: SessionClient, peerId: string): FrameSender {
  const window = new SendWindow(DEFAULT_WINDOW);
  // Acknowledgements settle the sends in order: each settled send is the next record acked.
  let settled = 0;
  const acknowledged = () => window.acknowledged(++settled);
  return {
    send: (payload) => {
      window.sent(payload.length);
      client.send(peerId, SDK_CHANNEL, payload).then(acknowledged, acknowledged);
      return Promise.resolve();
    },
    buffered: () => 0,
    room: (bytes, timeoutMs) => window.room(bytes, timeoutMs),
    close: () => client.close(),
  };
}
