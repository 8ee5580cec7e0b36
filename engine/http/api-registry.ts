import type { Context, Middleware, Next } from 'koa';
import Router from 'koa-router';
import type { z } from 'zod';
import { toDisposable, type Disposable } from '../contracts/disposable.js';
import type { ResponseCookie, RouteDefinition } from '../contracts/http-routes-contract.js';
import { TetherError } from '../errors.js';
import { readJsonBody } from './read-json-body.js';
import { SESSION_COOKIE, type RequestAuthenticator } from './request-authenticator.js';
import { validatePart } from './validate-part.js';

/** A route as the registry keeps it: its definition and the full path it answers on. */
export interface RegisteredRoute {
  readonly fullPath: string;
  readonly definition: RouteDefinition;
  /** Who added it: `engine` or a plugin's name. */
  readonly owner: string;
}

/**
 * Every API route of the engine and its plugins. Routes come and go while the engine runs (a
 * plugin stops), so the koa-router is rebuilt lazily after each change; the OpenAPI document
 * reads the same list.
 */
export class ApiRegistry {
  private readonly routes = new Map<string, RegisteredRoute>();
  private router: Router | undefined;

  private authenticator: RequestAuthenticator | undefined;

  constructor(
    private readonly maxBodyBytes: number,
    private readonly clientIp: (ctx: Context) => string = (ctx) => ctx.ip,
  ) {}

  /** Sets who checks the callers of routes that are not `public`; until then they get 401. */
  useAuthenticator(authenticator: RequestAuthenticator): void {
    this.authenticator = authenticator;
  }

  /** Adds a route under `prefix`; the Disposable removes it again. */
  register<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    typed: RouteDefinition<P, Q, B>,
    owner: string,
    prefix = '',
  ): Disposable {
    const route = typed as unknown as RouteDefinition;
    const fullPath = prefix + route.path;
    const key = `${route.method} ${fullPath}`;
    if (this.routes.has(key)) {
      throw new TetherError('TETHER_E_ROUTE_CONFLICT', `Route ${key} is registered already`);
    }
    this.routes.set(key, { fullPath, definition: route, owner });
    this.router = undefined;
    return toDisposable(() => {
      this.routes.delete(key);
      this.router = undefined;
    });
  }

  /** The routes in registration order. */
  list(): readonly RegisteredRoute[] {
    return [...this.routes.values()];
  }

  /** Dispatches to the current routes; unknown paths are 404s, wrong methods 405s. */
  middleware(): Middleware {
    return (ctx, next) => {
      this.router ??= this.buildRouter();
      return this.router.routes()(ctx as never, () => this.fallThrough(ctx, next));
    };
  }

  private async fallThrough(ctx: Context, next: Next): Promise<void> {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const allowed = this.allowedMethods(ctx.path);
    if (allowed.length === 0) throw new TetherError('TETHER_E_NOT_FOUND');
    ctx.set('Allow', allowed.join(', '));
    throw new TetherError('TETHER_E_METHOD_NOT_ALLOWED');
  }

  private allowedMethods(path: string): string[] {
    const router = (this.router ??= this.buildRouter());
    const matched = router.match(path, 'GET') as unknown as { path: Array<{ methods: string[] }> };
    return [...new Set(matched.path.flatMap((layer) => layer.methods))];
  }

  private buildRouter(): Router {
    const router = new Router();
    for (const route of this.routes.values()) {
      const method = route.definition.method.toLowerCase() as 'get';
      router[method](route.fullPath, (ctx) => this.handle(ctx as unknown as Context, route));
    }
    return router;
  }

  private async authenticate(ctx: Context, definition: RouteDefinition, ip: string) {
    const access = definition.access ?? 'signed-in';
    if (access === 'public') return undefined;
    if (!this.authenticator) throw new TetherError('TETHER_E_UNAUTHORIZED');
    const principal = await this.authenticator.authenticate(
      {
        authorization: ctx.get('authorization') || undefined,
        sessionCookie: ctx.cookies.get(SESSION_COOKIE) || undefined,
        csrfToken: ctx.get('x-csrf-token') || undefined,
        method: ctx.method,
        ip,
        ...scopeOf(definition),
      },
      access,
    );
    if (definition.roles && !definition.roles.includes(principal.role)) {
      throw new TetherError('TETHER_E_FORBIDDEN', 'Your role may not do this');
    }
    return principal;
  }

  private async handle(ctx: Context, route: RegisteredRoute): Promise<void> {
    const { definition } = route;
    const ip = this.clientIp(ctx);
    const principal = await this.authenticate(ctx, definition, ip);
    const rawParams = (ctx as unknown as { params: Record<string, string> }).params;
    const params = validatePart('params', definition.params, rawParams);
    const query = validatePart('query', definition.query, { ...ctx.query });
    const rawBody = definition.body
      ? await readJsonBody(ctx, this.maxBodyBytes, definition.bodyType)
      : undefined;
    const body = validatePart('body', definition.body, rawBody);

    const result = await definition.handler({
      params: params as z.output<z.ZodType>,
      query: query as z.output<z.ZodType>,
      body: body as z.output<z.ZodType>,
      headers: ctx.headers,
      ip,
      principal,
    });
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    for (const cookie of result.cookies ?? []) setCookie(ctx, cookie);
    ctx.status = result.status ?? (result.body === undefined ? 204 : 200);
    if (result.body === undefined) return;
    if (result.contentType) ctx.type = result.contentType;
    ctx.body = result.body;
  }
}

function setCookie(ctx: Context, cookie: ResponseCookie): void {
  ctx.cookies.set(cookie.name, cookie.value, {
    secure: true,
    httpOnly: !cookie.script,
    sameSite: 'strict',
    path: '/',
    overwrite: true,
    ...(cookie.maxAgeMs !== undefined ? { maxAge: cookie.maxAgeMs } : {}),
  });
}

/** API key scope of a route: its first tag, `read` for GET and `write` for the rest. */
function scopeOf(definition: RouteDefinition): { scope?: string } {
  const tag = definition.tags?.[0];
  if (!tag) return {};
  return { scope: `${tag}:${definition.method === 'GET' ? 'read' : 'write'}` };
}
