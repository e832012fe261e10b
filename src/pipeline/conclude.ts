import type { Job } from '../jobs/worker.ts';
import { humanOutcome } from '../review/humanOutcome.ts';
import { recordRefresh } from '../review/refresh.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { commitDecision, type CommitInput, type CommitResult } from './commit.ts';

export type RunConclusion = ({ kind: 'committed' } & CommitResult) | { kind: 'refreshed'; refresh_id: string; created: boolean };

/**
 * Ends a pipeline run in one transaction, fenced by the job's lease, with the job's completion: a crash
 * cannot separate them, and a run that lost its lease writes nothing. A run never overrides what a person
 * decided (approved, rejected, edited, claimed) — checked here, at commit time, so a decision made while
 * the run was classifying counts too: the fresh reading is kept as a refresh for an approver to apply.
 */
export function concludeRun(db: Db, audit: AuditLog, job: Job, input: Omit<CommitInput, 'job_id' | 'human' | 'actor'>): RunConclusion {
  return db.transaction((): RunConclusion => {
    job.lease.assertHeld();
    const resumed = db.prepare('SELECT 1 FROM decisions WHERE job_id = ?').pluck().get(job.id) !== undefined;
    const human = resumed ? null : humanOutcome(db, input.lead_id);
    const requestedBy = typeof job.payload.actor === 'string' ? job.payload.actor : 'system';
    const result: RunConclusion = human
      ? { kind: 'refreshed', ...recordRefresh(db, audit, { ...input, job_id: job.id, requested_by: requestedBy, human }) }
      : { kind: 'committed', ...commitDecision(db, audit, { ...input, job_id: job.id }) };
    job.lease.complete();
    return result;
  })();
}
