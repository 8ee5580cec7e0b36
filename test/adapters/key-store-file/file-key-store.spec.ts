import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import nacl from 'tweetnacl';
import { FileKeyStore } from '../../../adapters/key-store-file/file-key-store.js';
import { isTetherError, type ErrorCode } from '../../../engine/errors.js';

/** Runs `action` and returns what it threw; fails the test when it does not throw. */
async function failure(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, got none');
}

async function expectCode(action: () => Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await failure(action);
  expect(isTetherError(error, code), `expected ${code}, got ${String(error)}`).to.equal(true);
}

/** The `.key` files in `folder`, sorted. */
async function keyFiles(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.key')).sort();
}

/** Makes the key `keyId` and returns the name of the one file that appeared for it. */
async function makeDataKey(store: FileKeyStore, folder: string, keyId: string): Promise<string> {
  const before = new Set(await keyFiles(folder));
  await store.dataKey(keyId);
  const added = (await keyFiles(folder)).filter((name) => !before.has(name));
  expect(added, `files made for ${keyId}`).to.have.length(1);
  return added[0] as string;
}

/** Flips one bit of the base64 field `field` in the sealed key file. */
async function flipByte(file: string, field: 'ct' | 'tag'): Promise<void> {
  const sealed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const bytes = Buffer.from(sealed[field] as string, 'base64');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  await writeFile(file, JSON.stringify({ ...sealed, [field]: bytes.toString('base64') }));
}

describe('FileKeyStore', () => {
  let root: string;
  let folder: string;
  let master: Buffer;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tether-key-store-'));
    folder = path.join(root, 'keys');
    master = randomBytes(32);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('dataKey', () => {
    it('returns 32 bytes, the same on every call and after the store is reopened', async () => {
      const store = await FileKeyStore.open(folder, master);
      const first = await store.dataKey('tenant:one');
      expect(first).to.be.instanceOf(Uint8Array);
      expect(first).to.have.length(32);
      expect(Buffer.from(first).equals(Buffer.alloc(32)), 'all zero').to.equal(false);
      expect(Buffer.from(await store.dataKey('tenant:one'))).to.deep.equal(Buffer.from(first));

      const reopened = await FileKeyStore.open(folder, Buffer.from(master));
      expect(Buffer.from(await reopened.dataKey('tenant:one'))).to.deep.equal(Buffer.from(first));
    });

    it('gives different keys to different ids', async () => {
      const store = await FileKeyStore.open(folder, master);
      const one = Buffer.from(await store.dataKey('tenant:one'));
      const two = Buffer.from(await store.dataKey('tenant:two'));
      expect(one.equals(two)).to.equal(false);
    });

    it('hands out a copy: a caller that wipes its key does not wipe the stored one', async () => {
      const store = await FileKeyStore.open(folder, master);
      const first = await store.dataKey('tenant:one');
      const kept = Buffer.from(first);
      first.fill(0);
      expect(Buffer.from(await store.dataKey('tenant:one'))).to.deep.equal(kept);
    });
  });

  describe('signingKeyPair', () => {
    it('yields an Ed25519 pair that signs and verifies with tweetnacl', async () => {
      const store = await FileKeyStore.open(folder, master);
      const pair = await store.signingKeyPair('engine:signing');
      expect(pair.publicKey).to.have.length(nacl.sign.publicKeyLength);
      expect(pair.secretKey).to.have.length(nacl.sign.secretKeyLength);
      const message = Buffer.from('session 42 may start');
      const signature = nacl.sign.detached(message, pair.secretKey);
      expect(nacl.sign.detached.verify(message, signature, pair.publicKey)).to.equal(true);
      const other = Buffer.from('session 43 may start');
      expect(nacl.sign.detached.verify(other, signature, pair.publicKey)).to.equal(false);
    });

    it('is the same pair after the store is reopened', async () => {
      const store = await FileKeyStore.open(folder, master);
      const pair = await store.signingKeyPair('engine:signing');
      const again = await (
        await FileKeyStore.open(folder, master)
      ).signingKeyPair('engine:signing');
      expect(Buffer.from(again.publicKey)).to.deep.equal(Buffer.from(pair.publicKey));
      expect(Buffer.from(again.secretKey)).to.deep.equal(Buffer.from(pair.secretKey));
    });

    it('is made apart from the data key of the same id', async () => {
      const store = await FileKeyStore.open(folder, master);
      const pair = await store.signingKeyPair('tenant:one');
      const data = Buffer.from(await store.dataKey('tenant:one'));
      const seed = Buffer.from(pair.secretKey.subarray(0, 32));
      expect(seed.equals(data), 'signing seed equals the data key').to.equal(false);
      expect(Buffer.from(pair.publicKey).equals(data)).to.equal(false);
    });
  });

  describe('has and destroy', () => {
    it('tells whether a key exists, whichever kind made it', async () => {
      const store = await FileKeyStore.open(folder, master);
      expect(await store.has('tenant:one')).to.equal(false);
      await store.dataKey('tenant:one');
      expect(await store.has('tenant:one')).to.equal(true);
      expect(await store.has('engine:signing')).to.equal(false);
      await store.signingKeyPair('engine:signing');
      expect(await store.has('engine:signing')).to.equal(true);
    });

    it('forgets a destroyed key: has() is false and the next key is a new one', async () => {
      const store = await FileKeyStore.open(folder, master);
      const data = Buffer.from(await store.dataKey('tenant:one'));
      const pair = await store.signingKeyPair('tenant:one');
      await store.destroy('tenant:one');
      expect(await store.has('tenant:one')).to.equal(false);
      expect(await keyFiles(folder)).to.deep.equal([]);
      expect(Buffer.from(await store.dataKey('tenant:one')).equals(data)).to.equal(false);
      const newPair = await store.signingKeyPair('tenant:one');
      expect(Buffer.from(newPair.publicKey).equals(Buffer.from(pair.publicKey))).to.equal(false);
    });

    it('stops handing out a key that another store on the same folder destroyed', async () => {
      const nodeA = await FileKeyStore.open(folder, master);
      const nodeB = await FileKeyStore.open(folder, master);
      const old = Buffer.from(await nodeA.dataKey('tenant:one'));
      const oldPair = await nodeA.signingKeyPair('tenant:one');
      await nodeB.destroy('tenant:one');
      expect(await nodeA.has('tenant:one')).to.equal(false);
      const fresh = Buffer.from(await nodeA.dataKey('tenant:one'));
      expect(fresh.equals(old), 'node A still returns the destroyed key').to.equal(false);
      expect(Buffer.from(await nodeB.dataKey('tenant:one'))).to.deep.equal(fresh);
      const pair = await nodeA.signingKeyPair('tenant:one');
      expect(Buffer.from(pair.publicKey).equals(Buffer.from(oldPair.publicKey))).to.equal(false);
    });

    it('destroys a missing key without complaint', async () => {
      const store = await FileKeyStore.open(folder, master);
      await store.destroy('tenant:never-made');
      expect(await store.has('tenant:never-made')).to.equal(false);
    });
  });

  describe('master key check', () => {
    it('refuses at open a master key other than the one the store was made with', async () => {
      const store = await FileKeyStore.open(folder, master);
      await store.dataKey('tenant:one');
      await expectCode(() => FileKeyStore.open(folder, randomBytes(32)), 'TETHER_E_KEY_STORE');
    });

    it('refuses a master key that is not 32 bytes', async () => {
      await expectCode(() => FileKeyStore.open(folder, randomBytes(31)), 'TETHER_E_KEY_STORE');
    });

    it('lets only one of several master keys start a new store when all open at once', async () => {
      for (let round = 0; round < 10; round += 1) {
        const fresh = path.join(root, `race-${round}`);
        await mkdir(fresh);
        const masters = [master, randomBytes(32), randomBytes(32), randomBytes(32)];
        const results = await Promise.allSettled(masters.map((m) => FileKeyStore.open(fresh, m)));
        const refused = results.filter((result) => result.status === 'rejected');
        expect(refused, `round ${round}: stores that refused`).to.have.length(3);
        for (const { reason } of refused as PromiseRejectedResult[]) {
          expect(isTetherError(reason, 'TETHER_E_KEY_STORE'), String(reason)).to.equal(true);
        }
        expect((await readdir(fresh)).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
      }
    });
  });

  describe('tampering', () => {
    for (const field of ['ct', 'tag'] as const) {
      it(`fails with TETHER_E_DECRYPT when a byte of the key file's ${field} changed`, async () => {
        const store = await FileKeyStore.open(folder, master);
        const file = await makeDataKey(store, folder, 'tenant:one');
        await flipByte(path.join(folder, file), field);
        const fresh = await FileKeyStore.open(folder, master);
        await expectCode(() => fresh.dataKey('tenant:one'), 'TETHER_E_DECRYPT');
      });
    }

    it("detects key file A copied over key B's file (the id is bound in)", async () => {
      const store = await FileKeyStore.open(folder, master);
      const fileA = await makeDataKey(store, folder, 'tenant:a');
      const fileB = await makeDataKey(store, folder, 'tenant:b');
      await copyFile(path.join(folder, fileA), path.join(folder, fileB));
      const fresh = await FileKeyStore.open(folder, master);
      await expectCode(() => fresh.dataKey('tenant:b'), 'TETHER_E_DECRYPT');
      expect(await fresh.dataKey('tenant:a')).to.have.length(32);
    });
  });

  describe('key ids', () => {
    const invalid = ['', '../x', 'a b', 'x'.repeat(201), 'tenant/../x', 'é'];

    for (const keyId of invalid) {
      const shown = `${JSON.stringify(keyId.slice(0, 12))} (${keyId.length} chars)`;
      it(`refuses the id ${shown}`, async () => {
        const store = await FileKeyStore.open(folder, master);
        await expectCode(() => store.dataKey(keyId), 'TETHER_E_KEY_STORE');
        await expectCode(() => store.signingKeyPair(keyId), 'TETHER_E_KEY_STORE');
        await expectCode(() => store.has(keyId), 'TETHER_E_KEY_STORE');
        await expectCode(() => store.destroy(keyId), 'TETHER_E_KEY_STORE');
        expect(await keyFiles(folder)).to.deep.equal([]);
        expect((await readdir(root)).sort()).to.deep.equal(['keys']);
      });
    }

    it('accepts an id of 200 characters, the longest allowed', async () => {
      const store = await FileKeyStore.open(folder, master);
      const longest = 'tenant:' + 'A-z0.9_'.repeat(30).slice(0, 193);
      expect(longest).to.have.length(200);
      expect(await store.dataKey(longest)).to.have.length(32);
      expect((await store.signingKeyPair(longest)).publicKey).to.have.length(32);
      expect(await store.has(longest)).to.equal(true);
      await store.destroy(longest);
      expect(await store.has(longest)).to.equal(false);
    });

    it('keeps ids that differ only in case apart', async () => {
      const store = await FileKeyStore.open(folder, master);
      const lower = await store.dataKey('tenant:abc');
      const upper = await store.dataKey('tenant:ABC');
      expect(Buffer.from(lower).equals(Buffer.from(upper))).to.equal(false);
      expect(await keyFiles(folder)).to.have.length(2);
    });
  });

  describe('concurrent creation', () => {
    it('gives every caller of two stores the same new key and leaves no .tmp file', async () => {
      const [nodeA, nodeB] = await Promise.all([
        FileKeyStore.open(folder, master),
        FileKeyStore.open(folder, master),
      ]);
      // Calls start in waves, so that some are creating while others have already read a key:
      // a creator that overwrote the file instead of linking it would be caught here.
      const calls: Promise<Uint8Array>[] = [];
      for (let index = 0; index < 40; index += 1) {
        calls.push((index % 2 === 0 ? nodeA : nodeB).dataKey('tenant:busy'));
        if (index % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
      }
      const keys = (await Promise.all(calls)).map((key) => Buffer.from(key).toString('hex'));
      const later = await (await FileKeyStore.open(folder, master)).dataKey('tenant:busy');
      keys.push(Buffer.from(later).toString('hex'));
      expect(new Set(keys).size, 'distinct keys handed out').to.equal(1);
      const names = await readdir(folder);
      expect(names.filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
      expect(names.filter((name) => name.startsWith('data-'))).to.have.length(1);
    });

    it('gives every caller the same new signing pair', async () => {
      const nodeA = await FileKeyStore.open(folder, master);
      const nodeB = await FileKeyStore.open(folder, master);
      const calls = Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? nodeA : nodeB).signingKeyPair('engine:signing'),
      );
      const keys = (await Promise.all(calls)).map((p) => Buffer.from(p.publicKey).toString('hex'));
      expect(new Set(keys).size).to.equal(1);
      expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
    });
  });

  describe('files at rest', () => {
    it('keeps the folder 0700 and every file 0600', async () => {
      const store = await FileKeyStore.open(folder, master);
      await store.dataKey('tenant:one');
      await store.signingKeyPair('engine:signing');
      expect((await stat(folder)).mode & 0o777).to.equal(0o700);
      const names = await readdir(folder);
      expect(names).to.have.length(3);
      for (const name of names) {
        expect((await stat(path.join(folder, name))).mode & 0o777, name).to.equal(0o600);
      }
    });

    it('never writes a key in the clear', async () => {
      const store = await FileKeyStore.open(folder, master);
      const key = Buffer.from(await store.dataKey('tenant:one'));
      const seed = Buffer.from((await store.signingKeyPair('engine:signing')).secretKey);
      const texts = await Promise.all(
        (await readdir(folder)).map((name) => readFile(path.join(folder, name))),
      );
      for (const raw of [key, seed.subarray(0, 32), master]) {
        for (const content of texts) {
          expect(content.includes(raw), 'raw bytes').to.equal(false);
          for (const encoding of ['base64', 'base64url', 'hex'] as const) {
            expect(content.toString('utf8'), encoding).not.to.contain(raw.toString(encoding));
          }
        }
      }
    });
  });
});
