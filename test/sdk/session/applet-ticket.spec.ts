import { expect } from 'chai';
import nacl from 'tweetnacl';
import { toBase64 } from '../../../sdk/crypto/bytes.js';
import { CertificateError } from '../../../sdk/crypto/certificate-error.js';
import {
  signAppletTicket,
  verifyAppletTicket,
  type AppletTicket,
} from '../../../sdk/session/applet-ticket.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');

function ticketFor(keys: nacl.SignKeyPair, extra: Partial<AppletTicket> = {}): AppletTicket {
  return {
    server: 'https://support.example.test',
    sessionId: '0123456789abcdef0123456789abcdef',
    participantId: 'u-0123456789abcdef',
    secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I',
    engineKey: toBase64(keys.publicKey),
    expiresAt: '2026-06-01T12:02:00.000Z',
    ...extra,
  };
}

function reasonOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    if (error instanceof CertificateError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('applet tickets', () => {
  const engine = nacl.sign.keyPair();

  it('verify when signed by the key they carry, and give the ticket back', () => {
    const file = signAppletTicket(engine.secretKey, ticketFor(engine));
    const parsed = JSON.parse(JSON.stringify(file)) as unknown;
    expect(verifyAppletTicket(parsed, NOW)).to.deep.equal(ticketFor(engine));
  });

  it('refuse any changed field as a bad signature', () => {
    const file = signAppletTicket(engine.secretKey, ticketFor(engine));
    for (const change of [
      { server: 'https://evil.example.test' },
      { sessionId: 'fedcba9876543210fedcba9876543210' },
      { participantId: 'u-fedcba9876543210' },
      { secret: 'another-secret' },
      { expiresAt: '2026-06-02T12:02:00.000Z' },
    ]) {
      const forged = { ...file, ticket: { ...file.ticket, ...change } };
      expect(
        reasonOf(() => verifyAppletTicket(forged, NOW)),
        JSON.stringify(change),
      ).to.equal('bad-signature');
    }
  });

  it('refuse a ticket whose key was swapped for another', () => {
    const attacker = nacl.sign.keyPair();
    const file = signAppletTicket(engine.secretKey, ticketFor(engine));
    const swapped = {
      ...file,
      ticket: { ...file.ticket, engineKey: toBase64(attacker.publicKey) },
    };
    expect(reasonOf(() => verifyAppletTicket(swapped, NOW))).to.equal('bad-signature');
    const resigned = signAppletTicket(attacker.secretKey, ticketFor(engine));
    expect(reasonOf(() => verifyAppletTicket(resigned, NOW))).to.equal('bad-signature');
  });

  it('refuse an expired ticket', () => {
    const file = signAppletTicket(engine.secretKey, ticketFor(engine));
    expect(reasonOf(() => verifyAppletTicket(file, new Date('2026-06-01T12:02:00.000Z')))).to.equal(
      'expired',
    );
  });

  it('refuse malformed files without throwing anything else', () => {
    const file = signAppletTicket(engine.secretKey, ticketFor(engine));
    const cases: unknown[] = [
      null,
      'text',
      [],
      { ticket: file.ticket },
      { ...file, extra: 1 },
      { ...file, signature: 'short' },
      { ...file, ticket: { ...file.ticket, extra: 'x' } },
      { ...file, ticket: { ...file.ticket, server: 'http://plain.example.test' } },
      { ...file, ticket: { ...file.ticket, sessionId: 'bad id with spaces' } },
      { ...file, ticket: { ...file.ticket, engineKey: 'AAAA' } },
      { ...file, ticket: { ...file.ticket, expiresAt: 'tomorrow' } },
    ];
    for (const input of cases) {
      expect(
        reasonOf(() => verifyAppletTicket(input, NOW)),
        JSON.stringify(input),
      ).to.equal('malformed');
    }
  });
});
