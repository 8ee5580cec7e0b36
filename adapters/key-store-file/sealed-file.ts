import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TetherError } from '../../engine/errors.js';

/** On-disk form of one key: AES-256-GCM under the master key, bound to its id by the AAD. */
interface SealedKey {
  readonly v: 1;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

function aad(label: string): Buffer {
  return Buffer.from(`tether-key-store:v1:${label}`, 'utf8');
}

/** Encrypts `plain` under `master`; `label` must be given again to open it. */
export function seal(master: Uint8Array, label: string, plain: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(aad(label));
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  const sealed: SealedKey = {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
  return JSON.stringify(sealed);
}

/** Opens what {@link seal} made; a wrong key, label or any changed byte is TETHER_E_DECRYPT. */
export function open(master: Uint8Array, label: string, text: string): Buffer {
  try {
    const sealed = JSON.parse(text) as SealedKey;
    if (sealed.v !== 1) throw new Error(`unknown version ${String(sealed.v)}`);
    const decipher = createDecipheriv('aes-256-gcm', master, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aad(label));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch (error) {
    throw new TetherError('TETHER_E_DECRYPT', `${label} cannot be opened with this master key`, {
      cause: error,
    });
  }
}
