import { expect } from 'chai';
import { createHash, hkdfSync } from 'node:crypto';
import nacl from 'tweetnacl';
import { ProgrammerError } from '../../../engine/errors.js';
import {
  KeyAgreementError,
  deriveChannelKeys,
  shortAuthenticationString,
  type ChannelKeys,
} from '../../../sdk/crypto/index.js';

const SESSION = '6f1c2a9e4b7d4c1f8e3a5b6c7d8e9f01';

interface Party {
  readonly id: string;
  readonly keys: nacl.BoxKeyPair;
}

function party(id: string): Party {
  return { id, keys: nacl.box.keyPair() };
}

function keysOf(me: Party, peer: Party, peerBoxKey = peer.keys.publicKey): ChannelKeys {
  return deriveChannelKeys({
    sessionId: SESSION,
    myParticipantId: me.id,
    mySecretKey: me.keys.secretKey,
    peerParticipantId: peer.id,
    peerBoxKey,
  });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('channel keys', () => {
  const technician = party('tech-1');
  const endUser = party('user-1');

  it('gives both sides the same key for each direction', () => {
    const t = keysOf(technician, endUser);
    const u = keysOf(endUser, technician);

    expect(hex(t.sendKey)).to.equal(hex(u.receiveKey));
    expect(hex(t.receiveKey)).to.equal(hex(u.sendKey));
    expect(t.sendKey).to.have.length(32);
  });

  it('gives the two directions different keys', () => {
    const t = keysOf(technician, endUser);
    expect(hex(t.sendKey)).to.not.equal(hex(t.receiveKey));
  });

  it('binds the keys to the session id and the participant ids', () => {
    const t = keysOf(technician, endUser);
    const otherSession = deriveChannelKeys({
      sessionId: 'another-session',
      myParticipantId: technician.id,
      mySecretKey: technician.keys.secretKey,
      peerParticipantId: endUser.id,
      peerBoxKey: endUser.keys.publicKey,
    });
    const otherIds = keysOf({ ...technician, id: 'tech-2' }, endUser);

    expect(hex(otherSession.sendKey)).to.not.equal(hex(t.sendKey));
    expect(hex(otherIds.sendKey)).to.not.equal(hex(t.sendKey));
  });

  it('gives a machine in the middle different keys and a different SAS on each side', () => {
    const mitm = party('user-1');
    // The engine hands each side the attacker's box key instead of the real peer's.
    const technicianSide = keysOf(technician, endUser, mitm.keys.publicKey);
    const endUserSide = keysOf(endUser, technician, mitm.keys.publicKey);
    const honest = keysOf(technician, endUser);

    expect(hex(technicianSide.sendKey)).to.not.equal(hex(endUserSide.receiveKey));
    expect(hex(technicianSide.sendKey)).to.not.equal(hex(honest.sendKey));
    const sasAtTechnician = shortAuthenticationString(
      SESSION,
      technician.keys.publicKey,
      mitm.keys.publicKey,
    );
    const sasAtEndUser = shortAuthenticationString(
      SESSION,
      mitm.keys.publicKey,
      endUser.keys.publicKey,
    );
    expect(sasAtTechnician).to.not.equal(sasAtEndUser);
  });

  it('follows the documented key schedule', () => {
    const t = keysOf(technician, endUser);
    const shared = nacl.scalarMult(technician.keys.secretKey, endUser.keys.publicKey);
    const pair = [technician.keys.publicKey, endUser.keys.publicKey].map((k) => Buffer.from(k));
    pair.sort(Buffer.compare);
    const salt = createHash('sha256').update(Buffer.concat([...pair, Buffer.from(SESSION)]));
    const saltBytes = salt.digest();
    const expected = hkdfSync('sha256', shared, saltBytes, 'tether/v1 tech-1->user-1', 32);

    expect(hex(t.sendKey)).to.equal(Buffer.from(expected).toString('hex'));
  });

  it('refuses a low-order peer key that would give an all-zero shared secret', () => {
    expect(() => keysOf(technician, endUser, new Uint8Array(32))).to.throw(KeyAgreementError);
  });

  it('refuses wrong lengths, equal participants and ids that could blur the label', () => {
    expect(() => keysOf(technician, endUser, new Uint8Array(31))).to.throw(ProgrammerError);
    expect(() => keysOf(technician, { ...endUser, id: technician.id })).to.throw(ProgrammerError);
    expect(() => keysOf({ ...technician, id: 'a->b' }, endUser)).to.throw(ProgrammerError);
  });
});

describe('short authentication string', () => {
  const a = nacl.box.keyPair().publicKey;
  const b = nacl.box.keyPair().publicKey;

  it('is six digits and the same on both sides, whatever the key order', () => {
    const sas = shortAuthenticationString(SESSION, a, b);
    expect(sas).to.match(/^\d{6}$/);
    expect(shortAuthenticationString(SESSION, b, a)).to.equal(sas);
  });

  it('changes when either key or the session changes', () => {
    const sas = shortAuthenticationString(SESSION, a, b);
    let changes = 0;
    for (let i = 0; i < 20; i++) {
      const c = nacl.box.keyPair().publicKey;
      if (shortAuthenticationString(SESSION, a, c) !== sas) changes++;
      if (shortAuthenticationString(SESSION, c, b) !== sas) changes++;
      if (shortAuthenticationString(`${SESSION}${i}`, a, b) !== sas) changes++;
    }
    // 60 draws from 10^6 values: a chance collision is ~6e-5, far from a systematic one.
    expect(changes).to.be.at.least(59);
  });

  it('matches the documented formula on a fixed vector', () => {
    const low = new Uint8Array(32).fill(1);
    const high = new Uint8Array(32).fill(2);
    const input = Buffer.concat([Buffer.from('tether/v1 sas'), low, high, Buffer.from('s-1')]);
    const digest = createHash('sha256').update(input).digest();
    const expected = ((digest[0]! << 12) | (digest[1]! << 4) | (digest[2]! >> 4)) % 1_000_000;

    expect(shortAuthenticationString('s-1', high, low)).to.equal(String(expected).padStart(6, '0'));
  });
});
