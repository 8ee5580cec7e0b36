import type { z } from 'zod';
import type { Disposable } from './disposable.js';
import type { Principal } from './principal.js';
import type { MemberRole } from './storage-contract.js';

/** The HTTP methods an API route may answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  /** Schema of a JSON body; absent for an empty body or a non-JSON one. */
  readonly schema?: z.ZodType;
  /** Content type of a non-JSON body, such as `text/plain`. */
  readonly contentType?: string;
}

/** The validated parts of a request, typed by the route's schemas. */
export interface RouteRequest<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address: the peer, or the forwarded address behind a trusted proxy. */
  readonly ip: string;
  /** The signed-in caller; absent only on `public` routes. */
  readonly principal?: Principal;
}

/**
 * Who may call a route. `public`: anyone. `signed-in` (the default): a member whose sign-in is
 * complete. `sign-in-step`: a member between the steps of signing in (the routes that complete
 * it). A cookie-authenticated caller must send the CSRF token on every method but GET.
 */
export type RouteAccess = 'public' | 'signed-in' | 'sign-in-step';

/** What a handler answers: a status, a body (JSON unless `contentType` says otherwise). */
export interface RouteResult {
  readonly status?: number;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Cookies to set: always Secure and SameSite=Strict; HttpOnly unless `script` is true. */
  readonly cookies?: readonly ResponseCookie[];
}

/** A cookie a route sets; an empty value with `maxAgeMs: 0` deletes it. */
export interface ResponseCookie {
  readonly name: string;
  readonly value: string;
  readonly maxAgeMs?: number;
  /** Whether page scripts may read it (the CSRF token's cookie); false by default. */
  readonly script?: boolean;
}

/**
 * An API route: its schemas validate every request before the handler runs and the same
 * schemas generate the OpenAPI document, so the two cannot drift.
 */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Path in koa-router syntax (`/items/:id`); plugin routes are mounted below their prefix. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  /** `signed-in` when absent. */
  readonly access?: RouteAccess;
  /** When given, only members of these roles pass (403 for the others). */
  readonly roles?: readonly MemberRole[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** `json` when absent; `form` for an HTML form post (a SAML response, say). */
  readonly bodyType?: 'json' | 'form';
  readonly responses: Readonly<Record<number, RouteResponse>>;
  handler(request: RouteRequest<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult>;
}

/**
 * Adds routes to the engine's HTTP API. Promises: a registered route answers and appears in
 * `/api/v1/openapi.json` until disposed; a clash of method and path rejects the registration
 * with TETHER_E_ROUTE_CONFLICT. A plugin's routes live under `/api/v1/plugins/<name>`.
 */
export interface HttpRoutes {
  register<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    route: RouteDefinition<P, Q, B>,
  ): Disposable;
}

/** Token of the {@link HttpRoutes} contract. */
export const HttpRoutes = Symbol.for('tether.HttpRoutes');
