import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { OutboxRow } from './types.ts';

export interface OutboxListing {
  id: number;
  lead_id: string;
  kind: string;
  status: OutboxRow['status'];
  attempts: number;
  last_error: string | null;
  updated_at: string;
}

/** Effects for the CLI (and later Slack): dead letters only, or everything not yet done. */
export function listOutbox(db: Db, opts: { dead?: boolean; limit?: number } = {}): OutboxListing[] {
  const where = opts.dead ? "status = 'dead'" : "status != 'done'";
  return db
    .prepare(`SELECT id, lead_id, kind, status, attempts, last_error, updated_at FROM outbox WHERE ${where} ORDER BY id LIMIT ?`)
    .all(opts.limit ?? 200) as OutboxListing[];
}

/**
 * Puts dead effects back in the queue with a fresh attempt budget; returns how many were revived.
 * With `audit`, each revived effect gets an `effect_revived` row naming who asked.
 */
export function retryDead(db: Db, target: number | 'all', audit?: AuditLog, actor = 'cli'): number {
  const now = Date.now();
  const stamp = new Date(now).toISOString();
  const sql = `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, updated_at = ?
    WHERE status = 'dead'${target === 'all' ? '' : ' AND id = ?'} RETURNING id, lead_id, kind, correlation_id, last_error`;
  const args: unknown[] = target === 'all' ? [now, stamp] : [now, stamp, target];
  return db.transaction(() => {
    const rows = db.prepare(sql).all(...args) as Array<{ id: number; lead_id: string; kind: string; correlation_id: string; last_error: string | null }>;
    for (const r of rows) {
      audit?.record({ lead_id: r.lead_id, correlation_id: r.correlation_id, stage: 'act', event: 'effect_revived', actor, decision: r.kind, reason: r.last_error, output: { outbox_id: r.id } });
    }
    return rows.length;
  })();
}
