import { createHmac } from 'node:crypto';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import type { SmsSender } from '../../engine/contracts/sms-sender-contract.js';
import { TetherError } from '../../engine/errors.js';
import type { WebhookSettings } from './webhook-settings.js';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** The header that lets the gateway check a request came from this engine. */
export const SIGNATURE_HEADER = 'X-Tether-Signature';

/**
 * An {@link SmsSender} that hands each message to an HTTP gateway: `POST <url>` with the JSON
 * body `{ "to", "text" }`, a bearer token when one is set, and `X-Tether-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body>` when a signing secret is set. A 2xx answer is
 * acceptance; anything else, a redirect included, is a refusal. Logs never hold the text or
 * the number.
 */
export class WebhookSmsSender implements SmsSender {
  constructor(
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  async send(to: string, text: string): Promise<void> {
    checkMessage(to, text);
    const body = JSON.stringify({ to, text });
    const started = Date.now();

    const response = await this.post(body);
    this.discardBody(response);
    const fields = { gateway: this.settings.url.host, status: response.status };
    if (!response.ok) {
      this.logger.warn(fields, 'text message refused');
      const reason = `the gateway answered ${response.status}`;
      throw new TetherError('TETHER_E_SMS', `text message not sent: ${reason}`);
    }
    this.logger.info({ ...fields, ms: Date.now() - started }, 'text message sent');
  }

  private async post(body: string): Promise<Response> {
    try {
      return await fetch(this.settings.url, {
        method: 'POST',
        headers: this.headers(body),
        body,
        // A redirect is a refusal: following it would hand the token to another address.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const reason = failureReason(error, this.settings.timeoutMs);
      this.logger.warn({ gateway: this.settings.url.host, reason }, 'text message not sent');
      throw new TetherError('TETHER_E_SMS', `text message not sent: ${reason}`, { cause: error });
    }
  }

  private headers(body: string): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const { token, signingSecret } = this.settings;
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    if (signingSecret !== undefined) {
      const mac = createHmac('sha256', signingSecret).update(body, 'utf8').digest('hex');
      headers[SIGNATURE_HEADER] = `sha256=${mac}`;
    }
    return headers;
  }

  /** The answer's body is not needed; cancelling it frees the connection. */
  private discardBody(response: Response): void {
    response.body?.cancel().catch((error: unknown) => {
      this.logger.debug({ error: String(error) }, 'discarding the gateway answer failed');
    });
  }
}

function checkMessage(to: string, text: string): void {
  if (typeof to !== 'string' || !E164.test(to)) {
    const line = 'text message not sent: the number must be in E.164 form, like +4915112345678';
    throw new TetherError('TETHER_E_VALIDATION', line, { details: { field: 'to' } });
  }
  if (typeof text !== 'string' || text.trim() === '') {
    const line = 'text message not sent: the text is empty';
    throw new TetherError('TETHER_E_VALIDATION', line, { details: { field: 'text' } });
  }
}

function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `the gateway did not answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `the gateway could not be reached${code}`;
}
