import { verifyTimestampedHmac, type Verifier } from './hmac.ts';

/** Formspree: `Formspree-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>`, 5-minute window. */
export const verifyFormspree: Verifier = (input) => verifyTimestampedHmac('formspree-signature', input);
