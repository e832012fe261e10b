import { verifyTimestampedHmac, type Verifier } from './hmac.ts';

/** Our own endpoint: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(WEBHOOK_SECRET, `${t}.${rawBody}`)>`, exactly Formspree's scheme. */
export const verifyGeneric: Verifier = (input) => verifyTimestampedHmac('x-signature', input);
