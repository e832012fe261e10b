import type { Provider } from '../../core/lead.ts';
import { hmac } from './hmac.ts';
import { decodeHubspotUri } from './hubspot.ts';

/** The exact bytes sent: a signature over a re-serialised or re-encoded copy fails (a trailing newline is enough). */
export type SignedBody = string | Buffer;

export interface SignOptions {
  /** Epoch milliseconds of the delivery; default now. Converted to seconds where the vendor uses seconds. */
  timestamp?: number;
  /** Full public URL the vendor called (HubSpot signs it); default `http://localhost/webhooks/hubspot`. */
  url?: string;
  /** HTTP method HubSpot signs; default POST. */
  method?: string;
}

export type Signer = (secret: string, body: SignedBody, opts?: SignOptions) => Record<string, string>;

const JSON_TYPE = { 'Content-Type': 'application/json' } as const;
const nowMs = (opts: SignOptions): number => Math.floor(opts.timestamp ?? Date.now());

/** Formspree's `t=<unix seconds>,v1=<hex HMAC(secret, t + "." + body)>`, which the generic endpoint uses too. */
const timestamped = (headerName: string): Signer => (secret, body, opts = {}) => {
  const t = Math.floor(nowMs(opts) / 1000);
  return { ...JSON_TYPE, [headerName]: `t=${t},v1=${hmac(secret, [`${t}.`, body]).toString('hex')}` };
};

/**
 * Headers exactly as each vendor sends them with `body` (JSON content type included): the mirror of
 * `VERIFIERS`, used by `send-sample` and by the tests that post signed deliveries.
 */
export const SIGNERS: Record<Provider, Signer> = {
  typeform: (secret, body) => ({ ...JSON_TYPE, 'Typeform-Signature': `sha256=${hmac(secret, [body]).toString('base64')}` }),
  tally: (secret, body) => ({ ...JSON_TYPE, 'Tally-Signature': hmac(secret, [body]).toString('base64') }),
  webflow: (secret, body, opts = {}) => {
    const ms = nowMs(opts);
    return { ...JSON_TYPE, 'x-webflow-timestamp': String(ms), 'x-webflow-signature': hmac(secret, [`${ms}:`, body]).toString('hex') };
  },
  formspree: timestamped('Formspree-Signature'),
  generic: timestamped('X-Signature'),
  hubspot: (secret, body, opts = {}) => {
    const ms = String(nowMs(opts));
    const uri = decodeHubspotUri(opts.url ?? 'http://localhost/webhooks/hubspot');
    const method = (opts.method ?? 'POST').toUpperCase();
    return { ...JSON_TYPE, 'X-HubSpot-Signature-v3': hmac(secret, [method, uri, body, ms]).toString('base64'), 'X-HubSpot-Request-Timestamp': ms };
  },
};

export function signWebhook(provider: Provider, secret: string, body: SignedBody, opts: SignOptions = {}): Record<string, string> {
  return SIGNERS[provider](secret, body, opts);
}
