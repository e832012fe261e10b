import { header, hmac, invalid, OK, safeEqual, type Verifier } from './hmac.ts';

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, rawBody)>`; no timestamp in the scheme. */
export const verifyTypeform: Verifier = (input) => {
  const received = header(input.headers, 'typeform-signature');
  if (!received) return invalid('missing Typeform-Signature header');
  const expected = `sha256=${hmac(input.secret, [input.rawBody]).toString('base64')}`;
  return safeEqual(received.trim(), expected) ? OK : invalid('Typeform-Signature does not match');
};
