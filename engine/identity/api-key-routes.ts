import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Principal } from '../contracts/principal.js';
import type { ApiKey } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { MASTER_ROLES } from './admin-reach.js';
import { API_KEY_SCOPES, newApiKey } from './api-key-authenticator.js';
import type { AdminDeps } from './member-admin-routes.js';

const KeyBody = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  lastUsedAt: z.iso.datetime().optional(),
});
const base = { tags: ['api-keys'], roles: MASTER_ROLES } as const;

function view(key: ApiKey) {
  const iso = (date: Date | undefined) => date?.toISOString();
  return {
    ...key,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    ...(key.revokedAt ? { revokedAt: iso(key.revokedAt) } : {}),
    ...(key.lastUsedAt ? { lastUsedAt: iso(key.lastUsedAt) } : {}),
  };
}

/**
 * Registers the integrators' API keys: made by a master administrator for themselves, scoped,
 * expiring, revocable, shown once and stored only as a hash. API keys cannot manage API keys.
 */
export function registerApiKeyRoutes(deps: AdminDeps): Disposable[] {
  const { api } = deps;
  const keysOf = (principal: Principal | undefined) =>
    deps.storage.forTenant((principal as Principal).tenantId).apiKeys;
  const audit = (principal: Principal | undefined, action: string, key: ApiKey, ip: string) =>
    deps.audit.append({
      tenantId: (principal as Principal).tenantId,
      action,
      actor: { kind: 'member', id: (principal as Principal).memberId },
      target: { kind: 'api-key', id: key.id },
      ip,
      after: { name: key.name, scopes: [...key.scopes], expiresAt: key.expiresAt.toISOString() },
    });
  return [
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/api-keys',
        operationId: 'createApiKey',
        summary: 'Makes an API key acting for the caller; the key is shown only now',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          scopes: z.array(z.enum(API_KEY_SCOPES as [string, ...string[]])).min(1),
          expiresInDays: z.number().int().min(1).max(365),
        }),
        responses: {
          201: { description: 'Made', schema: z.object({ key: z.string(), apiKey: KeyBody }) },
        },
        handler: async ({ principal, body, ip }) => {
          if ((principal as Principal).via === 'api-key') {
            throw new TetherError('TETHER_E_FORBIDDEN', 'An API key cannot make API keys');
          }
          const made = newApiKey((principal as Principal).tenantId);
          const now = deps.clock.now();
          const apiKey = await keysOf(principal).create({
            memberId: (principal as Principal).memberId,
            name: body.name,
            scopes: [...new Set(body.scopes)],
            createdAt: now,
            expiresAt: new Date(now.getTime() + body.expiresInDays * 86_400_000),
            keyHash: made.hash,
          });
          await audit(principal, 'api-key.created', apiKey, ip);
          return { status: 201, body: { key: made.key, apiKey: view(apiKey) } };
        },
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'GET',
        path: '/api/v1/api-keys',
        operationId: 'listApiKeys',
        summary: "The tenant's API keys, without the keys themselves",
        responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(KeyBody) }) } },
        handler: async ({ principal }) => ({
          body: { items: (await keysOf(principal).list()).map(view) },
        }),
      },
      'engine',
    ),
    api.register(
      {
        ...base,
        method: 'POST',
        path: '/api/v1/api-keys/:keyId/revoke',
        operationId: 'revokeApiKey',
        summary: 'Revokes an API key at once',
        params: z.object({ keyId: z.uuid() }),
        responses: { 200: { description: 'Revoked', schema: KeyBody } },
        handler: async ({ principal, params, ip }) => {
          const keys = keysOf(principal);
          const key = await keys.findById(params.keyId);
          if (!key) throw new TetherError('TETHER_E_NOT_FOUND', 'No such API key');
          await keys.revoke(key.id, deps.clock.now());
          const revoked = (await keys.findById(key.id)) as ApiKey;
          await audit(principal, 'api-key.revoked', revoked, ip);
          return { body: view(revoked) };
        },
      },
      'engine',
    ),
  ];
}
