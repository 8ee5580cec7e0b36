import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyStore } from '../contracts/key-store-contract.js';
import type { TenantId } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';

const VERSION = 'v1';

/**
 * Encrypts customer content at rest with AES-256-GCM under the tenant's own data key, so that
 * destroying that key (KeyStore.destroy) makes the content unreadable in every backup. The
 * purpose string is bound in as associated data: a value sealed for one use cannot be passed
 * off as another.
 */
export class TenantCipher {
  constructor(private readonly keys: KeyStore) {}

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  async seal(tenantId: TenantId, purpose: string, plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.key(tenantId), iv);
    cipher.setAAD(Buffer.from(`${tenantId}:${purpose}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [VERSION, ...parts].join('.');
  }

  /** The plain text; anything changed, or the wrong tenant or purpose, is TETHER_E_DECRYPT. */
  async open(tenantId: TenantId, purpose: string, sealed: string): Promise<string> {
    const [version, iv, tag, body] = sealed.split('.');
    try {
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('bad format');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        await this.key(tenantId),
        Buffer.from(iv, 'base64url'),
      );
      decipher.setAAD(Buffer.from(`${tenantId}:${purpose}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch (error) {
      throw new TetherError('TETHER_E_DECRYPT', `sealed ${purpose} cannot be opened`, {
        cause: error,
      });
    }
  }

  private async key(tenantId: TenantId): Promise<Uint8Array> {
    return this.keys.dataKey(`tenant:${tenantId}`);
  }
}
