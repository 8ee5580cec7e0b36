// Bundles the browser session client (sdk/session/browser.ts) into dist/browser as one ES module,
// and marks that folder as ES modules so Node can load the bundle in tests as browsers do.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';

await build({
  entryPoints: ['sdk/session/browser.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  logLevel: 'warning',
  outfile: 'dist/browser/tether-session.js',
});
await mkdir('dist/browser', { recursive: true });
await writeFile('dist/browser/package.json', '{ "type": "module" }\n');
