import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Logger } from '../contracts/logger-contract.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import { CONTENT_SECURITY_POLICY } from '../web/content-security-policy.js';
import type { WebFiles } from '../web/web-files.js';
import type { ApiRegistry } from './api-registry.js';
import { errorMiddleware } from './error-middleware.js';
import type { TlsIdentity } from './tls-certificate.js';

/** Headers every answer carries. */
function securityHeaders(): Koa.Middleware {
  return async (ctx, next) => {
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    await next();
  };
}

/** The koa application: headers, metrics, errors, the API routes, then the web pages. */
export function createHttpApp(
  registry: ApiRegistry,
  metrics: EngineMetrics,
  logger: Logger,
  web?: WebFiles,
) {
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(securityHeaders());
  app.use(metrics.middleware());
  app.use(errorMiddleware(logger));
  app.use(registry.middleware());
  if (web) app.use(web.middleware());
  return app;
}

/**
 * Listens with TLS 1.3 only: a client that offers nothing newer than TLS 1.2 fails the
 * handshake. Resolves once listening, with the port actually bound.
 */
export async function listenTls(
  app: Koa,
  tls: TlsIdentity,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer(
    { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
    app.callback(),
  );
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
