import type { Db } from '../store/db.ts';

export interface OverrideRate {
  /** Reviews a person resolved in the window (Approve, Edit & approve, Reject). */
  reviews: number;
  /** Of those, the ones where the person changed or refused what the policy proposed: Edit or Reject. */
  overrides: number;
  edits: number;
  rejects: number;
  /** overrides / reviews; null when nobody resolved a review. */
  rate: number | null;
}

/**
 * How often people overrode the machine in review over the `sinceMs` before `now`. A consumed review is the decision
 * row whose status a person moved to approved/rejected (its human_json says how); the decision that follows it
 * carries the same input but is not a second review.
 */
export function overrideRate(db: Db, sinceMs: number, now = Date.now()): OverrideRate {
  const rows = db.prepare(`SELECT json_extract(human_json, '$.kind') AS kind, COUNT(*) AS n FROM decisions
      WHERE status IN ('approved', 'rejected') AND human_json IS NOT NULL AND resolved_at > ? AND resolved_at <= ?
      GROUP BY kind`).all(new Date(now - sinceMs).toISOString(), new Date(now).toISOString()) as Array<{ kind: string | null; n: number }>;
  const count = (kind: string) => rows.find((r) => r.kind === kind)?.n ?? 0;
  const edits = count('edit');
  const rejects = count('reject');
  const reviews = edits + rejects + count('approve');
  const overrides = edits + rejects;
  return { reviews, overrides, edits, rejects, rate: reviews ? overrides / reviews : null };
}
