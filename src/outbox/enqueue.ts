import type { EffectKind } from '../core/effects.ts';
import type { Db } from '../store/db.ts';

export interface NewEffect {
  lead_id: string;
  decision_id: string;
  kind: EffectKind;
  dedupe_key: string;
  payload: Record<string, unknown>;
  correlation_id: string;
}

/** The one way an effect enters the outbox: beside the caller's own writes (call inside their transaction); a repeated dedupe key is a no-op. */
export function enqueueEffect(db: Db, e: NewEffect, now = Date.now()): boolean {
  const stamp = new Date(now).toISOString();
  const info = db
    .prepare(`INSERT OR IGNORE INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(e.lead_id, e.decision_id, e.kind, e.dedupe_key, JSON.stringify(e.payload), now, e.correlation_id, stamp, stamp);
  return info.changes > 0;
}
