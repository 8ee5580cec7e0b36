// Bundles the sample browser apps the engine serves: the technician console, the admin center
// and the end user's join page (`web/<app>/main.tsx`, with its `index.html`, stylesheets and
// images), into `dist/web/<app>/`, and the shared stylesheet and icon into `dist/web/assets/`.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

const APPS = ['console', 'admin', 'join'];
/** Files of an app folder copied as they are: its page, stylesheets and images. */
const COPIED = /\.(html|css|svg|png)$/;
const SOURCE = 'samples/console/web';
const OUT = 'dist/web';

for (const app of APPS) {
  await build({
    entryPoints: [path.join(SOURCE, app, 'main.tsx')],
    outfile: path.join(OUT, app, 'main.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  const files = await readdir(path.join(SOURCE, app));
  for (const file of files.filter((name) => COPIED.test(name))) {
    await copyFile(path.join(SOURCE, app, file), path.join(OUT, app, file));
  }
}
await mkdir(path.join(OUT, 'assets'), { recursive: true });
for (const asset of ['tether.css', 'panel-kit.css', 'tether.svg']) {
  await copyFile(path.join(SOURCE, 'shared', asset), path.join(OUT, 'assets', asset));
}
