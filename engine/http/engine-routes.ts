import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import type { Disposable } from '../contracts/disposable.js';
import type { Storage } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { ApiRegistry } from './api-registry.js';
import { openApiDocument } from './openapi-document.js';

/** What the engine's own routes read. */
export interface EngineRoutesDeps {
  readonly registry: ApiRegistry;
  readonly storage: Storage;
  readonly metrics: EngineMetrics;
  readonly version: string;
  readonly metricsToken?: string;
}

const Status = z.object({ status: z.enum(['alive', 'ready']), version: z.string() });

/** Registers `/health`, `/ready`, `/metrics` and `/api/v1/openapi.json`. */
export function registerEngineRoutes(deps: EngineRoutesDeps): Disposable[] {
  const { registry, version } = deps;
  return [
    registry.register(
      {
        method: 'GET',
        path: '/health',
        operationId: 'getHealth',
        summary: 'Answers while the process is alive',
        tags: ['operations'],
        access: 'public',
        responses: { 200: { description: 'Alive', schema: Status } },
        handler: async () => ({ body: { status: 'alive', version } }),
      },
      'engine',
    ),
    registry.register(
      {
        method: 'GET',
        path: '/ready',
        operationId: 'getReady',
        summary: 'Answers when the database is reachable',
        tags: ['operations'],
        access: 'public',
        responses: { 200: { description: 'Ready', schema: Status } },
        handler: async () => {
          await deps.storage.ping().catch((cause: unknown) => {
            throw new TetherError('TETHER_E_NOT_READY', 'The database is not reachable', { cause });
          });
          return { body: { status: 'ready', version } };
        },
      },
      'engine',
    ),
    registry.register(
      {
        method: 'GET',
        path: '/metrics',
        operationId: 'getMetrics',
        summary: 'Prometheus metrics, for the configured operator token only',
        tags: ['operations'],
        access: 'public',
        responses: { 200: { description: 'Text exposition format', contentType: 'text/plain' } },
        handler: async (request) => {
          checkOperatorToken(deps.metricsToken, request.headers.authorization);
          return { body: await deps.metrics.render(), contentType: 'text/plain; version=0.0.4' };
        },
      },
      'engine',
    ),
    registry.register(
      {
        method: 'GET',
        path: '/api/v1/openapi.json',
        operationId: 'getOpenApi',
        summary: 'This document',
        tags: ['operations'],
        access: 'public',
        responses: { 200: { description: 'OpenAPI 3.1 document' } },
        handler: async () => ({ body: openApiDocument(registry.list(), version) }),
      },
      'engine',
    ),
  ];
}

/** No token configured: the route does not exist. A wrong or missing token: 401. */
function checkOperatorToken(expected: string | undefined, header: string | string[] | undefined) {
  if (expected === undefined) throw new TetherError('TETHER_E_NOT_FOUND');
  const given = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new TetherError('TETHER_E_UNAUTHORIZED', 'A valid operator token is required');
  }
}
