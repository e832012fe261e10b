import { FIVE_MINUTES_MS, header, hmac, invalid, OK, safeEqual, stale, type Verifier, type VerifyInput } from './hmac.ts';

/**
 * HubSpot v3: `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(client secret, method + uri + rawBody + timestamp),
 * `X-HubSpot-Request-Timestamp` in epoch ms, rejected when older than 5 minutes.
 */
export const verifyHubspot: Verifier = (input) => {
  const received = header(input.headers, 'x-hubspot-signature-v3')?.trim();
  const timestamp = header(input.headers, 'x-hubspot-request-timestamp')?.trim();
  if (!received || !timestamp) return invalid('missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header');
  if (!/^\d{1,15}$/.test(timestamp)) return invalid('malformed X-HubSpot-Request-Timestamp');
  if (Math.abs(input.nowMs - Number(timestamp)) > FIVE_MINUTES_MS) return stale('X-HubSpot-Request-Timestamp outside the 5-minute window');
  for (const uri of candidateUris(input)) {
    const expected = hmac(input.secret, [input.method.toUpperCase(), decodeHubspotUri(uri), input.rawBody, timestamp]).toString('base64');
    if (safeEqual(received, expected)) return OK;
  }
  return invalid('X-HubSpot-Signature-v3 does not match');
};

/**
 * The signature covers the public URL HubSpot called. PUBLIC_BASE_URL says what it is; without it we can only
 * rebuild it from the Host header, and a TLS-terminating proxy hides the scheme, so both schemes are tried.
 */
function candidateUris(input: VerifyInput): string[] {
  if (input.publicBaseUrl) return [input.publicBaseUrl.replace(/\/+$/, '') + input.path];
  const host = header(input.headers, 'host');
  if (!host) return [];
  return [`https://${host}${input.path}`, `http://${host}${input.path}`];
}

/** HubSpot's docs list exactly these percent-encodings to decode in the URI before signing; others stay encoded. */
const DECODE: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function decodeHubspotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);
}
