import { header, hmac, invalid, OK, safeEqual, type Verifier } from './hmac.ts';

/** Tally: `Tally-Signature: <base64 HMAC-SHA256(signing secret, rawBody)>`; no timestamp in the scheme. */
export const verifyTally: Verifier = (input) => {
  const received = header(input.headers, 'tally-signature');
  if (!received) return invalid('missing Tally-Signature header');
  const expected = hmac(input.secret, [input.rawBody]).toString('base64');
  return safeEqual(received.trim(), expected) ? OK : invalid('Tally-Signature does not match');
};
