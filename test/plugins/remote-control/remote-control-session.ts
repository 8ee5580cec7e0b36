// One support session for the remote-control tests: a relay, an end user whose applet side
// runs the RemoteControlHost on a real X desktop, and technicians with a viewer each.
import { randomUUID } from 'node:crypto';
import type { Desktop } from '../../../engine/contracts/desktop-contract.js';
import { RemoteControlHost } from '../../../plugins/remote-control/remote-control-host.js';
import { RemoteDesktopViewer } from '../../../plugins/remote-control/remote-desktop-viewer.js';
import { RgbaFramebuffer } from '../../../plugins/remote-control/rgba-framebuffer.js';
import {
  EndUserConsent,
  TechnicianConsent,
  type GatewayCredentials,
  type SessionClient,
} from '../../../sdk/session/index.js';
import { RelayGateway } from '../../support/relay-gateway.js';
import { clientOf, END_USER, waitFor } from '../../support/session-pair.js';

/** A technician of the test session. */
export interface TestTechnician {
  readonly id: string;
  readonly client: SessionClient;
  readonly consent: TechnicianConsent;
  readonly viewer: RemoteDesktopViewer;
  readonly screen: RgbaFramebuffer;
}

const TECHNICIANS: Record<string, readonly string[]> = {
  'tech-control': ['desktop-view', 'remote-control'],
  'tech-view': ['desktop-view'],
};

/** The session, with what the end user answers: `technician permission` keys granted. */
export interface RemoteControlSession {
  readonly relay: RelayGateway;
  readonly endUser: SessionClient;
  readonly endUserConsent: EndUserConsent;
  readonly host: RemoteControlHost;
  readonly grants: Set<string>;
  technician(id: keyof typeof TECHNICIANS): Promise<TestTechnician>;
  close(): Promise<void>;
}

function credentialsOf(id: string): GatewayCredentials {
  return { kind: 'technician', token: `token-${id}` };
}

/** Starts the session around `desktop`; the end user grants what `grants` holds. */
export async function startRemoteControlSession(desktop: Desktop): Promise<RemoteControlSession> {
  const relay = await RelayGateway.start({
    sessionId: `s-${randomUUID()}`,
    admissions: [
      ...Object.entries(TECHNICIANS).map(([participantId, permissions]) => ({
        credentials: credentialsOf(participantId),
        participantId,
        role: 'technician' as const,
        permissions,
      })),
      { credentials: END_USER, participantId: 'user-1', role: 'end-user' },
    ],
  });
  const grants = new Set<string>();
  const endUser = clientOf(relay, END_USER);
  const endUserConsent = new EndUserConsent(endUser, {
    ask: async (q) => grants.has(`${q.technician.participantId} ${q.permission}`),
  });
  const host = new RemoteControlHost({ client: endUser, consent: endUserConsent, desktop });
  await endUser.connect();
  const made: TestTechnician[] = [];

  return {
    relay,
    endUser,
    endUserConsent,
    host,
    grants,
    async technician(id) {
      const client = clientOf(relay, credentialsOf(id), { expectedPeerRole: 'end-user' });
      await client.connect();
      await waitFor(() => client.peer('user-1') !== undefined, `${id} sees the end user`);
      await waitFor(() => endUser.peer(id) !== undefined, `the end user sees ${id}`);
      const screen = new RgbaFramebuffer();
      const viewer = new RemoteDesktopViewer(client, 'user-1', screen);
      const technician = { id, client, consent: new TechnicianConsent(client), viewer, screen };
      made.push(technician);
      return technician;
    },
    async close() {
      for (const technician of made) technician.viewer.dispose();
      await host.dispose();
      endUserConsent.dispose();
      for (const technician of made) technician.client.close();
      endUser.close();
      await relay.close();
    },
  };
}
