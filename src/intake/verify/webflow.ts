import { FIVE_MINUTES_MS, header, hmac, invalid, OK, safeEqual, stale, type Verifier } from './hmac.ts';

/**
 * Webflow: `x-webflow-timestamp` (epoch ms) and `x-webflow-signature` = hex HMAC-SHA256(secret, `${timestamp}:${rawBody}`).
 * Webflow's docs reject requests older than 5 minutes as possible replays.
 */
export const verifyWebflow: Verifier = (input) => {
  const timestamp = header(input.headers, 'x-webflow-timestamp')?.trim();
  const received = header(input.headers, 'x-webflow-signature')?.trim();
  if (!timestamp || !received) return invalid('missing x-webflow-timestamp or x-webflow-signature header');
  if (!/^\d{1,15}$/.test(timestamp)) return invalid('malformed x-webflow-timestamp');
  if (Math.abs(input.nowMs - Number(timestamp)) > FIVE_MINUTES_MS) return stale('x-webflow-timestamp outside the 5-minute window');
  const expected = hmac(input.secret, [`${timestamp}:`, input.rawBody]).toString('hex');
  return safeEqual(received.toLowerCase(), expected) ? OK : invalid('x-webflow-signature does not match');
};
