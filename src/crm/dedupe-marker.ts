import { createHash } from 'node:crypto';

/**
 * A single alphanumeric token derived from an outbox dedupe key, embedded in a note/task body so a
 * re-run can find what a crashed run already created (HubSpot's CONTAINS_TOKEN matches whole words).
 */
export function dedupeMarker(dedupeKey: string): string {
  return `ltdedupe${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 24)}`;
}
