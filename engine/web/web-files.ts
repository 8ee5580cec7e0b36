import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Middleware, Next } from 'koa';

/** The browser apps the engine serves, each from its folder below the web root. */
export const WEB_APPS = ['console', 'admin', 'join'] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

type Target = { readonly file: string } | { readonly redirect: string };

/** A file name the apps may ask for: no folders, no dot files, a known extension. */
const FILE_NAME = /^[a-z0-9][a-z0-9_.-]*$/i;

/**
 * Serves the built browser apps (`/console/`, `/admin/`, `/join/`, shared `/assets/`) from the
 * web root, and exactly the panel modules the active plugins declared (`panelFile` maps a URL
 * path to a file, or to nothing). GET and HEAD only; anything else falls through to the 404
 * and 405 of the API. A request never names a path outside these folders: file names are
 * checked against a strict pattern before any disk access.
 */
export class WebFiles {
  constructor(
    private readonly webRoot: string,
    private readonly panelFile: (urlPath: string) => string | undefined,
  ) {}

  middleware(): Middleware {
    return async (ctx: Context, next: Next) => {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
      const target = this.route(ctx.path);
      if (target === undefined) return next();
      if ('redirect' in target) {
        ctx.redirect(target.redirect);
        return;
      }
      const body = await readIfFile(target.file);
      if (body === undefined) return next();
      ctx.type = CONTENT_TYPES[path.extname(target.file)] ?? 'application/octet-stream';
      ctx.body = body;
    };
  }

  private route(urlPath: string): Target | undefined {
    if (urlPath === '/') return { redirect: '/console/' };
    const panel = this.panelFile(urlPath);
    if (panel !== undefined) return { file: panel };
    const [, folder, name, ...rest] = urlPath.split('/');
    if (rest.length > 0 || folder === undefined) return undefined;
    const isApp = (WEB_APPS as readonly string[]).includes(folder);
    if (!isApp && folder !== 'assets') return undefined;
    if (name === undefined) return isApp ? { redirect: `/${folder}/` } : undefined;
    if (name === '')
      return isApp ? { file: path.join(this.webRoot, folder, 'index.html') } : undefined;
    if (!FILE_NAME.test(name) || !(path.extname(name) in CONTENT_TYPES)) return undefined;
    return { file: path.join(this.webRoot, folder, name) };
  }
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? readFile(file) : undefined;
}
