#!/usr/bin/env -S node --no-memory-reducer
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SETTING_SPECS, flagName, envName, type SettingSpec } from '../config/setting-specs.js';
import { isTetherError } from '../errors.js';
import { EXIT_FAILED, EXIT_USAGE } from './cli-support.js';
import { runAdminCreate, runAdminUnlock, runAuditVerify } from './admin-command.js';
import { runMigrate } from './migrate-command.js';
import { runPluginsList } from './plugins-command.js';
import { runStart } from './start-command.js';

function settingOptions<T>(argv: Argv<T>): Argv<T> {
  for (const [name, spec] of Object.entries(SETTING_SPECS) as Array<[string, SettingSpec]>) {
    if (spec.noFlag) continue;
    argv.option(flagName(name), {
      type: 'string',
      describe: `${spec.describe} [${envName(name)}]`,
      group: 'Settings:',
    });
  }
  return argv.option('config', {
    type: 'string',
    describe: 'JSON config file [TETHER_CONFIG]',
    group: 'Settings:',
  });
}

function fail(error: unknown): never {
  // Bad settings and bad input (any 4xx of the catalogue) are the caller's to fix: exit 2.
  const usage = isTetherError(error) && (error.code === 'TETHER_E_CONFIG' || error.status < 500);
  const message = isTetherError(error) ? error.message : (error as Error)?.message;
  process.stderr.write(`tether: ${message ?? String(error)}\n`);
  process.exit(usage ? EXIT_USAGE : EXIT_FAILED);
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('tether')
    .usage('$0 <command> [options]')
    .command('start', 'Run an engine node', settingOptions, (args) => runStart(args))
    .command('migrate', 'Apply pending database migrations', settingOptions, (args) =>
      runMigrate(args),
    )
    .command('plugins', 'Inspect plugins', (argv) =>
      argv
        .command('list', 'List built-in, sample and configured plugins', settingOptions, (args) =>
          runPluginsList(args),
        )
        .demandCommand(1, 'name a plugins command: list'),
    )
    .command('admin', 'Manage members from the server', (argv) =>
      argv
        .command(
          'create',
          'Make a member with a password read from standard input',
          (sub) =>
            settingOptions(sub)
              .option('tenant', { type: 'string', demandOption: true, describe: 'Tenant name' })
              .option('email', { type: 'string', demandOption: true, describe: 'E-mail address' })
              .option('password-stdin', {
                type: 'boolean',
                demandOption: true,
                describe: 'Read the password from standard input',
              })
              .option('display-name', { type: 'string', describe: 'Name shown to others' })
              .option('role', {
                choices: ['master-administrator', 'administrator', 'technician'],
                default: 'master-administrator',
              }),
          (args) => runAdminCreate(args),
        )
        .command(
          'unlock',
          'Lift the lock of a member after failed sign-ins',
          (sub) =>
            settingOptions(sub)
              .option('tenant', { type: 'string', demandOption: true, describe: 'Tenant name' })
              .option('email', { type: 'string', demandOption: true, describe: 'E-mail address' }),
          (args) => runAdminUnlock(args),
        )
        .demandCommand(1, 'name an admin command: create or unlock'),
    )
    .command('audit', 'Check the audit log', (argv) =>
      argv
        .command(
          'verify',
          'Check the hash chain of every tenant, naming the first bad record',
          (sub) =>
            settingOptions(sub).option('tenant', { type: 'string', describe: 'Only this tenant' }),
          (args) => runAuditVerify(args),
        )
        .demandCommand(1, 'name an audit command: verify'),
    )
    .demandCommand(1, 'name a command: start, migrate, plugins, admin or audit')
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) fail(error);
      process.stderr.write(`tether: ${message} (see tether --help)\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

if (require.main === module) main().catch(fail);
