import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import nacl from 'tweetnacl';
import { loadTlsIdentity } from '../../../engine/http/tls-certificate.js';
import { signCertificate, type ParticipantCertificateFields } from '../../../sdk/crypto/index.js';
import { nodeWebSocketFactory } from '../../../sdk/session/node-web-socket.js';
import { CERTIFICATE_REFUSED_CODE, type SessionClient } from '../../../sdk/session/index.js';
import { RelayGateway } from '../../support/relay-gateway.js';
import {
  END_USER,
  TECHNICIAN,
  clientOf,
  closeAll,
  defaultAdmissions,
  waitFor,
} from '../../support/session-pair.js';

type Alter = (fields: ParticipantCertificateFields) => ParticipantCertificateFields;

async function refusal(client: SessionClient): Promise<unknown> {
  const reason = await client.connect().then(
    () => 'connected',
    (e: { reason: string }) => e.reason,
  );
  return { reason, closed: client.closed };
}

describe('session client certificates', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  async function relayAltering(alter: Alter, only?: string): Promise<RelayGateway> {
    relay = await RelayGateway.start({
      sessionId: `s-${randomUUID()}`,
      admissions: defaultAdmissions(),
    });
    const own = relay.signingKeys.secretKey;
    relay.certify = (fields) =>
      signCertificate(own, only && fields.participantId !== only ? fields : alter(fields));
    return relay;
  }

  const refusedWith = (why: string) => ({
    reason: 'certificate-refused',
    closed: { code: CERTIFICATE_REFUSED_CODE, reason: `certificate refused: ${why}` },
  });

  it('refuses its own certificate when another key signed it (the applet ends)', async () => {
    const relay = await relayAltering((f) => f);
    const stranger = nacl.sign.keyPair();
    relay.certify = (fields) => signCertificate(stranger.secretKey, fields);
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(refusedWith('bad-signature'));
  });

  it("refuses a peer's certificate that another key signed, and ends", async () => {
    const relay = await relayAltering((f) => f);
    const technician = clientOf(relay, TECHNICIAN);
    await technician.connect();
    const stranger = nacl.sign.keyPair();
    const honest = relay.certify;
    relay.certify = (fields) =>
      fields.role === 'technician' ? honest(fields) : signCertificate(stranger.secretKey, fields);
    const endUser = clientOf(relay, END_USER);
    // Its own certificate is bad too, so the end user ends as well.
    expect(await refusal(endUser)).to.deep.equal(refusedWith('bad-signature'));
    await waitFor(() => technician.closed !== undefined, 'the technician refused the peer');
    expect(technician.closed).to.deep.equal(refusedWith('bad-signature').closed);
    expect(technician.peer('user-1')).to.equal(undefined);
  });

  it('refuses a certificate of another session', async () => {
    const relay = await relayAltering((f) => ({ ...f, sessionId: 'another-session' }));
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(refusedWith('wrong-session'));
  });

  it('refuses an expired certificate', async () => {
    const past = new Date(Date.now() - 1000).toISOString();
    const relay = await relayAltering((f) => ({ ...f, expiresAt: past }));
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(refusedWith('expired'));
  });

  it('refuses its own certificate carrying another box key', async () => {
    const other = Buffer.from(nacl.box.keyPair().publicKey).toString('base64');
    const relay = await relayAltering((f) => ({ ...f, boxKey: other }));
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(refusedWith('wrong-box-key'));
  });

  it('refuses its own certificate naming another participant', async () => {
    const relay = await relayAltering((f) => ({ ...f, participantId: 'user-2' }));
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(
      refusedWith('wrong-participant'),
    );
  });

  it('refuses a malformed certificate', async () => {
    const relay = await relayAltering((f) => f);
    relay.certify = (fields) => ({ fields, signature: 'not base64' });
    expect(await refusal(clientOf(relay, END_USER))).to.deep.equal(refusedWith('malformed'));
  });

  it('refuses, at the applet, a peer of a role it does not expect', async () => {
    const relay = await relayAltering((f) => f);
    const endUser = clientOf(relay, END_USER);
    await endUser.connect();
    const impostor = clientOf(relay, TECHNICIAN, { expectedPeerRole: undefined });
    relay.certify = ({ permissions: _p, policy: _q, ...fields }) =>
      signCertificate(relay.signingKeys.secretKey, { ...fields, role: 'end-user' });
    await impostor.connect().catch(() => undefined);
    await waitFor(() => endUser.closed !== undefined, 'the applet refused the peer');
    expect(endUser.closed).to.deep.equal(refusedWith('wrong-role').closed);
  });

  it('connects over TLS to a self-signed engine it trusts, and not otherwise', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tether-relay-tls-'));
    try {
      const tls = await loadTlsIdentity({ dataDir, host: '127.0.0.1' }, pino({ level: 'silent' }));
      relay = await RelayGateway.start({
        sessionId: `s-${randomUUID()}`,
        admissions: defaultAdmissions(),
        tls,
      });
      expect(relay.url.startsWith('wss://127.0.0.1:')).to.equal(true);
      const trusting = clientOf(relay, TECHNICIAN, {
        webSocket: nodeWebSocketFactory({ ca: tls.cert }),
      });
      await trusting.connect();
      expect(trusting.participantId).to.equal('tech-1');

      const wary = clientOf(relay, END_USER, { reconnect: { initialDelayMs: 5, maxAttempts: 2 } });
      expect(await refusal(wary)).to.deep.equal({
        reason: 'closed',
        closed: { code: 1006, reason: 'unreachable' },
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
