import { header, type Headers } from './verify/hmac.ts';

/**
 * Webhooks take JSON only: `application/json` or `application/<x>+json`, parameters (charset) allowed,
 * case-insensitive. Refusing text/plain matters because a browser sends it cross-origin without a CORS preflight.
 */
export function isJsonContentType(headers: Headers): boolean {
  const value = header(headers, 'content-type');
  if (!value) return false;
  const mediaType = value.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(mediaType);
}
