import { toDisposable } from '../../engine/contracts/disposable.js';
import type { EngineModule } from '../../engine/contracts/engine-module-contract.js';
import { Mailer } from '../../engine/contracts/mailer-contract.js';
import { SmtpMailer } from './smtp-mailer.js';
import { parseSmtpSettings } from './smtp-settings.js';

/**
 * Mail over an SMTP relay, configured by `moduleSettings['mailer-smtp']`. Loading checks the
 * settings only: the relay is first reached by the first mail, so its being down never stops
 * the engine. Stopping closes the transport.
 */
const mailerModule: EngineModule = {
  name: 'mailer-smtp',
  provides: [Mailer],
  async load(context) {
    const settings = parseSmtpSettings(context.settings.moduleSettings?.['mailer-smtp']);
    const mailer = SmtpMailer.create(settings, context.logger);
    context.provide(Mailer, mailer);
    context.logger.info(
      { host: settings.host, port: settings.port, secure: settings.secure },
      'SMTP relay configured',
    );
    return toDisposable(() => mailer.close());
  },
};

export default mailerModule;
