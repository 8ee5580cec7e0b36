// Lint rules, among them the layering of the project, which fails the lint on a wrong import:
// engine/ imports nothing from plugins/, adapters/ or samples/; a plugin imports sdk/ and
// engine/contracts/ only (never another plugin); Sequelize stays inside the storage adapter.
import { readdirSync, existsSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const folders = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

const pluginZones = (root) => [
  {
    target: root,
    from: './engine',
    except: ['./contracts'],
    message: 'plugins use engine/contracts only',
  },
  {
    target: root,
    from: ['./adapters', './samples/applet', './samples/console'],
    message: 'plugins use sdk/ and engine/contracts/ only',
  },
  ...folders(root).map((name) => ({
    target: `${root}/${name}`,
    from: root,
    except: [`./${name}`],
    message: 'a plugin never imports another plugin',
  })),
];

export const layeringZones = [
  {
    target: './engine',
    from: ['./plugins', './adapters', './samples'],
    message: 'engine/ knows no plugin, adapter or sample',
  },
  {
    target: './sdk',
    from: ['./plugins', './adapters', './samples'],
    message: 'sdk/ knows no plugin, adapter or sample',
  },
  {
    target: './adapters',
    from: ['./plugins', './samples'],
    message: 'adapters know no plugin or sample',
  },
  {
    target: './adapters',
    from: './engine',
    except: ['./contracts', './errors.ts'],
    message: 'adapters use engine/contracts and engine/errors only',
  },
  { target: './plugins', from: './samples', message: 'built-in plugins know no sample' },
  ...pluginZones('./plugins'),
  ...pluginZones('./samples/plugins'),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['./tsconfig.json', './tsconfig.web.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layeringZones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'max-len': ['error', { code: 100, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: [
      'engine/**/*.ts',
      'plugins/**/*.ts',
      'adapters/**/*.ts',
      'sdk/**/*.ts',
      'plugins/**/*.tsx',
    ],
    ignores: ['engine/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['adapters/storage-sequelize/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'sequelize', message: 'Sequelize stays inside adapters/storage-sequelize' },
          ],
        },
      ],
    },
  },
);
