import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

/**
 * Deletes raw webhook bodies and stage checkpoints older than the policy's retention. The audit
 * log is append-only by design and is kept; it holds hashes and decisions, not raw bodies.
 */
export function purgeExpired(db: Db, audit: AuditLog, retentionDays: number, now = Date.now()): { inbound_events: number; stage_results: number } {
  const cutoff = new Date(now - retentionDays * 86_400_000).toISOString();
  return db.transaction(() => {
    const inbound = db.prepare("UPDATE inbound_events SET raw_body = '' WHERE received_at < ? AND raw_body != ''").run(cutoff).changes;
    const stages = db.prepare('DELETE FROM stage_results WHERE created_at < ?').run(cutoff).changes;
    audit.record({ lead_id: null, correlation_id: 'retention', stage: 'retention', event: 'purged', output: { cutoff, inbound_events: inbound, stage_results: stages } });
    return { inbound_events: inbound, stage_results: stages };
  })();
}
