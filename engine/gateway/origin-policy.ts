/**
 * Which web origins may open the gateway: the engine's own and those configured in
 * `gatewayOrigins`. A request without an `Origin` header (a Node program) is not a browser page
 * and is let through to in-band authentication.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.allowed = new Set(origins.map(normalise).filter((origin) => origin !== undefined));
  }

  /** The engine's own origins when it listens on `host:port`; loopback adds `localhost`. */
  static ownOrigins(host: string, port: number): string[] {
    const bracketed = host.includes(':') ? `[${host}]` : host;
    const own = [`https://${bracketed}:${port}`];
    if (host === '127.0.0.1' || host === '::1') own.push(`https://localhost:${port}`);
    return own.map((origin) => new URL(origin).origin);
  }

  /** True when a page of `origin` may open a connection; undefined means no Origin header. */
  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const normalised = normalise(origin);
    return normalised !== undefined && this.allowed.has(normalised);
  }
}

function normalise(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}
