import { expect } from 'chai';
import nacl from 'tweetnacl';
import { ProgrammerError } from '../../../engine/errors.js';
import {
  CertificateError,
  canonicalJson,
  signCertificate,
  verifyCertificate,
  type CertificateErrorReason,
  type ParticipantCertificateFields,
} from '../../../sdk/crypto/index.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const engine = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));

function technicianFields(): ParticipantCertificateFields {
  return {
    v: 1,
    sessionId: '6f1c2a9e4b7d4c1f8e3a5b6c7d8e9f01',
    participantId: 'tech-1',
    role: 'technician',
    boxKey: Buffer.from(nacl.box.keyPair().publicKey).toString('base64'),
    expiresAt: '2030-01-01T01:00:00.000Z',
    permissions: ['remote-control', 'file-transfer'],
    policy: { recording: 'forced', chat: { omitText: true, retentionDays: 30 } },
  };
}

function reasonOf(run: () => unknown): CertificateErrorReason | 'no error' {
  try {
    run();
  } catch (error) {
    if (error instanceof CertificateError) return error.reason;
    throw error;
  }
  return 'no error';
}

/** Every copy of `value` with exactly one leaf changed (one character, number or boolean). */
function oneLeafChanged(value: unknown): unknown[] {
  if (typeof value === 'string') {
    const flipped = String.fromCharCode(value.charCodeAt(0) ^ 1);
    return [flipped + value.slice(1)];
  }
  if (typeof value === 'number') return [value + 1];
  if (typeof value === 'boolean') return [!value];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      oneLeafChanged(item).map((changed) => value.map((v, j) => (i === j ? changed : v))),
    );
  }
  const object = value as Record<string, unknown>;
  return Object.keys(object).flatMap((key) =>
    oneLeafChanged(object[key]).map((changed) => ({ ...object, [key]: changed })),
  );
}

describe('participant certificate', () => {
  it('verifies what the engine signed and returns the same fields', () => {
    const fields = technicianFields();
    const certificate = signCertificate(engine.secretKey, fields);
    const wire = JSON.parse(JSON.stringify(certificate)) as unknown;

    expect(verifyCertificate(engine.publicKey, wire, NOW)).to.deep.equal(fields);
    expect(Buffer.from(certificate.signature, 'base64')).to.have.length(64);
  });

  it('carries a name of up to 200 characters, whatever characters it holds', () => {
    const fields = {
      ...technicianFields(),
      name: `<img src=x onerror=alert(1)> ${'n'.repeat(150)}`,
    };
    const certificate = signCertificate(engine.secretKey, fields);
    expect(verifyCertificate(engine.publicKey, certificate, NOW)).to.deep.equal(fields);
  });

  it('signs the canonical JSON of the fields, so key order does not matter', () => {
    const fields = technicianFields();
    const reordered = JSON.parse(canonicalJson(fields)!) as ParticipantCertificateFields;
    const certificate = signCertificate(engine.secretKey, fields);
    const wire = { signature: certificate.signature, fields: reversedKeys(reordered) };

    expect(verifyCertificate(engine.publicKey, wire, NOW).participantId).to.equal('tech-1');
    expect(canonicalJson({ b: { d: 1, c: [2, { f: 3, e: 4 }] }, a: null })).to.equal(
      '{"a":null,"b":{"c":[2,{"e":4,"f":3}],"d":1}}',
    );
  });

  it('refuses any field with one changed character, number or flag as bad-signature', () => {
    const certificate = signCertificate(engine.secretKey, technicianFields());
    const variants = oneLeafChanged(certificate.fields);
    expect(variants.length).to.be.greaterThan(10);

    for (const fields of variants) {
      const forged = { fields, signature: certificate.signature };
      expect(reasonOf(() => verifyCertificate(engine.publicKey, forged, NOW))).to.equal(
        'bad-signature',
        JSON.stringify(fields),
      );
    }
  });

  it('refuses added or removed fields as bad-signature', () => {
    const { fields, signature } = signCertificate(engine.secretKey, technicianFields());
    const { permissions: _dropped, ...withoutPermissions } = fields;
    const withMore = { ...fields, permissions: [...fields.permissions!, 'reboot'] };

    for (const changed of [withoutPermissions, withMore, { ...fields, role: 'end-user' }]) {
      const forged = { fields: changed, signature };
      expect(reasonOf(() => verifyCertificate(engine.publicKey, forged, NOW))).to.equal(
        'bad-signature',
      );
    }
  });

  it('refuses a signature with a bit flipped in any byte as bad-signature', () => {
    const certificate = signCertificate(engine.secretKey, technicianFields());
    const signature = Buffer.from(certificate.signature, 'base64');

    // One bit per byte, a different bit position each time: every byte, all 8 positions, and
    // an eighth of tweetnacl's verify time of all 512 flips.
    for (let bit = 0; bit < signature.length * 8; bit += 9) {
      const flipped = Buffer.from(signature);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const forged = { fields: certificate.fields, signature: flipped.toString('base64') };
      expect(reasonOf(() => verifyCertificate(engine.publicKey, forged, NOW))).to.equal(
        'bad-signature',
      );
    }
  });

  it('refuses a certificate signed by another key as bad-signature', () => {
    const impostor = nacl.sign.keyPair();
    const certificate = signCertificate(impostor.secretKey, technicianFields());

    expect(reasonOf(() => verifyCertificate(engine.publicKey, certificate, NOW))).to.equal(
      'bad-signature',
    );
    expect(reasonOf(() => verifyCertificate(impostor.publicKey, certificate, NOW))).to.equal(
      'no error',
    );
  });

  it('refuses a certificate at and after its expiry as expired', () => {
    const certificate = signCertificate(engine.secretKey, technicianFields());
    const at = new Date(certificate.fields.expiresAt);
    const before = new Date(at.getTime() - 1);

    expect(reasonOf(() => verifyCertificate(engine.publicKey, certificate, before))).to.equal(
      'no error',
    );
    expect(reasonOf(() => verifyCertificate(engine.publicKey, certificate, at))).to.equal(
      'expired',
    );
  });

  it('refuses garbage as malformed', () => {
    const { fields, signature } = signCertificate(engine.secretKey, technicianFields());
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
    const garbage: unknown[] = [
      null,
      'certificate',
      42,
      [],
      {},
      { fields },
      { fields, signature, extra: 1 },
      { fields: 'x', signature },
      { fields, signature: 'not base64!' },
      { fields, signature: Buffer.alloc(63).toString('base64') },
      { fields, signature: 7 },
      { fields: { ...fields, policy: { deep } }, signature },
    ];

    garbage.forEach((certificate, index) => {
      expect(reasonOf(() => verifyCertificate(engine.publicKey, certificate, NOW))).to.equal(
        'malformed',
        `garbage #${index}`,
      );
    });
  });

  it('refuses well-signed fields that break the format as malformed', () => {
    const bad: Record<string, unknown>[] = [
      { ...technicianFields(), v: 2 },
      { ...technicianFields(), boxKey: Buffer.alloc(31).toString('base64') },
      { ...technicianFields(), expiresAt: 'tomorrow' },
      { ...technicianFields(), participantId: 'a->b' },
      { ...technicianFields(), role: 'end-user' },
      { ...technicianFields(), unknown: true },
      { ...technicianFields(), name: '' },
      { ...technicianFields(), name: 42 },
      { ...technicianFields(), name: 'n'.repeat(201) },
    ];

    for (const fields of bad) {
      const text = canonicalJson(fields)!;
      const signature = nacl.sign.detached(Buffer.from(text), engine.secretKey);
      const certificate = { fields, signature: Buffer.from(signature).toString('base64') };
      expect(reasonOf(() => verifyCertificate(engine.publicKey, certificate, NOW))).to.equal(
        'malformed',
        text,
      );
    }
  });

  it('will not sign malformed fields', () => {
    const fields = { ...technicianFields(), role: 'end-user' } as ParticipantCertificateFields;
    expect(() => signCertificate(engine.secretKey, fields)).to.throw(ProgrammerError);
    expect(() => signCertificate(engine.publicKey, technicianFields())).to.throw(ProgrammerError);
  });
});

function reversedKeys(value: object): object {
  return Object.fromEntries(Object.entries(value).reverse());
}
