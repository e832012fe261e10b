import { createHmac } from 'node:crypto';

export type { Provider as WebhookProvider } from '../../src/core/lead.ts';
// Webhook signing lives in src/ (send-sample uses it too); re-exported so tests sign exactly as the CLI does.
export { signWebhook, SIGNERS, type SignOptions, type SignedBody } from '../../src/intake/verify/sign.ts';

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data, 'utf8');

/** Slack's request signing: `v0=hex(HMAC-SHA256(signing secret, 'v0:' + ts + ':' + body))`, ts in epoch seconds. */
export function signSlack(signingSecret: string, body: string, timestampSec: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'X-Slack-Signature': `v0=${mac(signingSecret, `v0:${timestampSec}:${body}`).digest('hex')}`,
    'X-Slack-Request-Timestamp': String(timestampSec),
  };
}
