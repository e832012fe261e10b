import { createHash } from 'node:crypto';
import type { CanonicalLead, Provider } from '../core/lead.ts';
import { header, type Headers } from './verify/hmac.ts';

export const CONTENT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type IdempotencyKey =
  | { kind: 'event' | 'header'; key: string }
  /** Content-hash keys are unique per lead; the 24-hour duplicate check is a query, not the UNIQUE index. */
  | { kind: 'content' };

/** sha256 of what the prospect typed, normalised so a double click or a vendor retry hashes the same. */
export function contentHash(lead: CanonicalLead): string {
  const norm = (v: string | null) => (v ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  const material = [lead.email, lead.name, lead.company, lead.website, lead.phone, lead.message].map(norm);
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

/** Vendor event id first, then the sender's Idempotency-Key header, else the content hash. */
export function idempotencyKey(provider: Provider, eventId: string | null, headers: Headers): IdempotencyKey {
  if (eventId) return { kind: 'event', key: `event:${provider}:${eventId}` };
  const fromHeader = header(headers, 'idempotency-key')?.trim();
  if (fromHeader) return { kind: 'header', key: `header:${provider}:${fromHeader.slice(0, 255)}` };
  return { kind: 'content' };
}
