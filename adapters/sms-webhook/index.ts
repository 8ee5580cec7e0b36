import type { EngineModule } from '../../engine/contracts/engine-module-contract.js';
import { SmsSender } from '../../engine/contracts/sms-sender-contract.js';
import { WebhookSmsSender } from './webhook-sms-sender.js';
import { parseWebhookSettings } from './webhook-settings.js';

/**
 * Text messages through an HTTP gateway, configured by `moduleSettings['sms-webhook']`.
 * Loading checks the settings only; the gateway is first reached by the first message.
 */
const smsModule: EngineModule = {
  name: 'sms-webhook',
  provides: [SmsSender],
  async load(context) {
    const settings = parseWebhookSettings(context.settings.moduleSettings?.['sms-webhook']);
    context.provide(SmsSender, new WebhookSmsSender(settings, context.logger));
    const signed = settings.signingSecret !== undefined;
    context.logger.info({ gateway: settings.url.host, signed }, 'SMS gateway configured');
  },
};

export default smsModule;
