import { nodeAsyncCryptoBackend } from '../../sdk/crypto/index.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { DEFAULT_WINDOW } from '../../sdk/session/outbound-records.js';
import { SessionClient } from '../../sdk/session/session-client.js';
import { sleep } from './map-limit.js';
import type { EngineSeat } from './round-trip-job.js';
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
 * returns at once; `room` waits while the bodies not yet acknowledged fill the client's window,
 * so the client never queues a send behind a full window and the run's time limit holds.
 */
export function sessionClientSender(client: SessionClient, peerId: string): FrameSender {
  let unacknowledged = 0;
  let wake: (() => void) | undefined;
  const fits = (bytes: number) => unacknowledged + bytes <= DEFAULT_WINDOW.maxBytes;
  return {
    send: (payload) => {
      unacknowledged += payload.length;
      const settled = () => {
        unacknowledged -= payload.length;
        wake?.();
      };
      client.send(peerId, SDK_CHANNEL, payload).then(settled, settled);
      return Promise.resolve();
    },
    buffered: () => 0,
    room: (bytes, timeoutMs) => {
      if (fits(bytes)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(false), timeoutMs);
        const settle = (ok: boolean) => {
          clearTimeout(timer);
          wake = undefined;
          resolve(ok);
        };
        wake = () => fits(bytes) && settle(true);
      });
    },
    close: () => client.close(),
  };
}
