import { AppError } from '../core/errors.ts';
import { enqueue } from '../jobs/queue.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

/**
 * Runs a lead through the whole pipeline again as a new job. Its effects go through the same
 * outbox dedupe keys, so a reprocess updates the existing contact and card instead of duplicating them.
 */
export function reprocessLead(db: Db, audit: AuditLog, leadId: string, actor: string): { job_id: number } {
  return db.transaction(() => {
    const correlation = db.prepare('SELECT correlation_id FROM leads WHERE id = ?').pluck().get(leadId) as string | undefined;
    if (!correlation) throw new AppError('not_found', `no lead ${leadId}`);
    const jobId = enqueue(db, { kind: 'process_lead', lead_id: leadId, correlation_id: correlation, payload: { reprocess: true, actor } });
    audit.record({ lead_id: leadId, correlation_id: correlation, stage: 'job', event: 'reprocess_requested', actor, output: { job_id: jobId } });
    return { job_id: jobId };
  })();
}
