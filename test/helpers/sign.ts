import { createHmac } from 'node:crypto';

export type WebhookProvider = 'typeform' | 'tally' | 'webflow' | 'formspree' | 'hubspot' | 'generic';

export interface SignOptions {
  /** Epoch milliseconds of the delivery; default now. Converted to seconds where the vendor uses seconds. */
  timestamp?: number;
  /** Full public URL the vendor called (HubSpot signs it); default `http://localhost/webhooks/<provider>`. */
  url?: string;
  /** HTTP method HubSpot signs; default POST. */
  method?: string;
}

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data, 'utf8');

/** Headers exactly as each vendor sends them with `body`, signed with `secret` (JSON content type included). */
export function signWebhook(provider: WebhookProvider, secret: string, body: string, opts: SignOptions = {}): Record<string, string> {
  const ms = Math.floor(opts.timestamp ?? Date.now());
  const seconds = Math.floor(ms / 1000);
  const json = { 'Content-Type': 'application/json' };
  switch (provider) {
    case 'typeform':
      return { ...json, 'Typeform-Signature': `sha256=${mac(secret, body).digest('base64')}` };
    case 'tally':
      return { ...json, 'Tally-Signature': mac(secret, body).digest('base64') };
    case 'webflow':
      return { ...json, 'x-webflow-timestamp': String(ms), 'x-webflow-signature': mac(secret, `${ms}:${body}`).digest('hex') };
    case 'formspree':
      return { ...json, 'Formspree-Signature': `t=${seconds},v1=${mac(secret, `${seconds}.${body}`).digest('hex')}` };
    case 'generic':
      return { ...json, 'X-Signature': `t=${seconds},v1=${mac(secret, `${seconds}.${body}`).digest('hex')}` };
    case 'hubspot': {
      const url = opts.url ?? 'http://localhost/webhooks/hubspot';
      const method = (opts.method ?? 'POST').toUpperCase();
      return {
        ...json,
        'X-HubSpot-Signature-v3': mac(secret, `${method}${url}${body}${ms}`).digest('base64'),
        'X-HubSpot-Request-Timestamp': String(ms),
      };
    }
  }
}

/** Slack's request signing: `v0=hex(HMAC-SHA256(signing secret, 'v0:' + ts + ':' + body))`, ts in epoch seconds. */
export function signSlack(signingSecret: string, body: string, timestampSec: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'X-Slack-Signature': `v0=${mac(signingSecret, `v0:${timestampSec}:${body}`).digest('hex')}`,
    'X-Slack-Request-Timestamp': String(timestampSec),
  };
}
