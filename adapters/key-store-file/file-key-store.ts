import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nacl from 'tweetnacl';
import type { KeyStore, SigningKeyPair } from '../../engine/contracts/key-store-contract.js';
import { TetherError } from '../../engine/errors.js';
import { open, seal } from './sealed-file.js';

const KEY_ID = /^[A-Za-z0-9:._-]{1,200}$/;
const CHECK_FILE = 'master-key-check.json';

type KeyKind = 'data' | 'signing';

/**
 * Keys in a folder, one file each, encrypted under the master key. A key is created once even
 * when two nodes ask at the same moment (the file is linked into place, never overwritten), and
 * a wrong master key is detected when the store opens, not at the first read.
 */
export class FileKeyStore implements KeyStore {
  private constructor(
    private readonly folder: string,
    private readonly master: Uint8Array,
  ) {}

  /** Opens (or starts) the store in `folder`, checking that `master` is its master key. */
  static async open(folder: string, master: Uint8Array): Promise<FileKeyStore> {
    if (master.length !== 32) throw keyError('the master key must be 32 bytes');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const store = new FileKeyStore(folder, Buffer.from(master));
    await store.checkMaster();
    return store;
  }

  async dataKey(keyId: string): Promise<Uint8Array> {
    return new Uint8Array(await this.material(keyId, 'data'));
  }

  async signingKeyPair(keyId: string): Promise<SigningKeyPair> {
    const pair = nacl.sign.keyPair.fromSeed(new Uint8Array(await this.material(keyId, 'signing')));
    return { publicKey: pair.publicKey, secretKey: pair.secretKey };
  }

  async has(keyId: string): Promise<boolean> {
    return (
      (await this.read(keyId, 'data')) !== undefined ||
      (await this.read(keyId, 'signing')) !== undefined
    );
  }

  async destroy(keyId: string): Promise<void> {
    for (const kind of ['data', 'signing'] as const) {
      await unlink(this.file(keyId, kind)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw keyError(`${keyId} cannot be deleted`, error);
      });
    }
  }

  /** Read from the file on every call, so a key another node destroyed is never handed out. */
  private async material(keyId: string, kind: KeyKind): Promise<Buffer> {
    return (await this.read(keyId, kind)) ?? (await this.create(keyId, kind));
  }

  private async read(keyId: string, kind: KeyKind): Promise<Buffer | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(keyId, kind), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw keyError(`${keyId} cannot be read`, error);
    }
    return open(this.master, `${kind}:${keyId}`, text);
  }

  /** Writes a new key beside its place and links it in; whoever links first wins. */
  private async create(keyId: string, kind: KeyKind): Promise<Buffer> {
    const target = this.file(keyId, kind);
    await place(target, seal(this.master, `${kind}:${keyId}`, randomBytes(32)), keyId);
    const made = await this.read(keyId, kind);
    if (!made) throw keyError(`${keyId} was destroyed while it was being made`);
    return made;
  }

  private file(keyId: string, kind: KeyKind): string {
    if (!KEY_ID.test(keyId)) throw keyError(`invalid key id "${keyId.slice(0, 40)}"`);
    // A digest names the file: fixed length whatever the id, and the same on file systems that
    // fold case. The id itself is bound into the sealed content.
    const digest = createHash('sha256').update(keyId, 'utf8').digest('hex');
    return path.join(this.folder, `${kind}-${digest}.key`);
  }

  /** Opens the check file, first linking one in when there is none: the first opener wins. */
  private async checkMaster(): Promise<void> {
    const file = path.join(this.folder, CHECK_FILE);
    let text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw keyError(`${CHECK_FILE} cannot be read`, error);
    });
    if (text === undefined) {
      await place(file, seal(this.master, 'check', Buffer.from('tether')), CHECK_FILE);
      text = await readFile(file, 'utf8');
    }
    try {
      open(this.master, 'check', text);
    } catch (error) {
      throw keyError('the master key does not open this key store', error);
    }
  }
}

/** Writes `content` beside `target` and links it in, unless `target` exists already. */
async function place(target: string, content: string, what: string): Promise<void> {
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 }).catch((error: unknown) => {
    throw keyError(`${what} cannot be written`, error);
  });
  try {
    await link(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyError(what, error);
  } finally {
    await unlink(temporary);
  }
}

function keyError(reason: string, cause?: unknown): TetherError {
  return new TetherError('TETHER_E_KEY_STORE', `key store: ${reason}`, { cause });
}
