import { createHmac, timingSafeEqual } from 'node:crypto';

export type Headers = Record<string, string | string[] | undefined>;

/** What every verifier is given: the exact bytes received plus what the vendor's scheme covers. */
export interface VerifyInput {
  method: string;
  /** Path plus query string as received, e.g. `/webhooks/hubspot?x=1`. */
  path: string;
  headers: Headers;
  rawBody: Buffer;
  secret: string;
  nowMs: number;
  /** Config.publicBaseUrl: HubSpot's v3 signature covers the full public URL. */
  publicBaseUrl: string | undefined;
}

export type VerifyResult = { ok: true } | { ok: false; code: 'signature_invalid' | 'signature_stale'; reason: string };
export type Verifier = (input: VerifyInput) => VerifyResult;

export const FIVE_MINUTES_MS = 5 * 60 * 1000;
export const OK: VerifyResult = { ok: true };
export const invalid = (reason: string): VerifyResult => ({ ok: false, code: 'signature_invalid', reason });
export const stale = (reason: string): VerifyResult => ({ ok: false, code: 'signature_stale', reason });

/** Case-insensitive header read (Node lower-cases names, direct callers may not); a repeated header counts as its first value. */
export function header(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  let value = headers[lower];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value[0] : value;
}

export function hmac(secret: string, parts: Array<string | Buffer>): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time string comparison; unequal lengths are rejected before timingSafeEqual, which requires equal lengths. */
export function safeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses the `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` header used by Formspree (and our generic scheme). */
export function parseTimestampedHeader(value: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(val)) t = Number(val);
    else if (key === 'v1' && val) v1.push(val);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/** Shared by Formspree and the generic endpoint: hex HMAC-SHA256 over `${t}.${rawBody}`, 5-minute window. */
export function verifyTimestampedHmac(headerName: string, input: VerifyInput): VerifyResult {
  const raw = header(input.headers, headerName);
  if (!raw) return invalid(`missing ${headerName} header`);
  const parsed = parseTimestampedHeader(raw);
  if (!parsed) return invalid(`malformed ${headerName} header`);
  if (Math.abs(input.nowMs - parsed.t * 1000) > FIVE_MINUTES_MS) return stale(`${headerName} timestamp outside the 5-minute window`);
  const expected = hmac(input.secret, [`${parsed.t}.`, input.rawBody]).toString('hex');
  return parsed.v1.some((sig) => safeEqual(sig.toLowerCase(), expected)) ? OK : invalid(`${headerName} does not match`);
}
