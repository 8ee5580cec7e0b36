// Bundles plugins' browser panels: every `web/*-panel.ts` or `web/*-panel.tsx` of a plugin
// folder becomes `<dist of that folder>/ui/<name>.js`, one ES module each, the path its manifest
// names in `ui`. With no arguments it builds the built-in plugins and the sample plugins; an
// integrator passes their own plugin folder and its output folder:
//   node sdk/ui/build-panels.mjs path/to/my-plugin path/to/my-plugin/dist
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const PANEL = /-panel\.tsx?$/;

function pluginFolders(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, entry.name));
}

function panelsOf(folder) {
  const web = path.join(folder, 'web');
  if (!existsSync(web)) return [];
  return readdirSync(web)
    .filter((name) => PANEL.test(name))
    .map((name) => path.join(web, name));
}

const [source, out] = process.argv.slice(2);
const targets = source
  ? [[source, out ?? path.join(source, 'dist')]]
  : ['plugins', 'samples/plugins'].flatMap((root) =>
      pluginFolders(root).map((folder) => [folder, path.join('dist', folder)]),
    );

for (const [folder, outFolder] of targets) {
  const entryPoints = panelsOf(folder);
  if (entryPoints.length === 0) continue;
  await build({
    entryPoints,
    outdir: path.join(outFolder, 'ui'),
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
}
