import type { EffectKind } from '../core/effects.ts';
import type { Db } from '../store/db.ts';

export interface EffectRow {
  lead_id: string;
  decision_id: string;
  kind: EffectKind;
  dedupe_key: string;
  payload: Record<string, unknown>;
  correlation_id: string;
}

/** Queues one effect beside the caller's own writes (call inside their transaction); a repeated dedupe key is a no-op. */
export function enqueueEffect(db: Db, e: EffectRow): boolean {
  const now = new Date().toISOString();
  const info = db
    .prepare(`INSERT OR IGNORE INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(e.lead_id, e.decision_id, e.kind, e.dedupe_key, JSON.stringify(e.payload), Date.now(), e.correlation_id, now, now);
  return info.changes > 0;
}
