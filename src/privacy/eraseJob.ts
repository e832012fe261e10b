import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TransientError } from '../core/upstream.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Logger } from '../observability/logger.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { checkpointWal, eraseLead, type ErasureWhy } from './erase.ts';

const Payload = z.object({ why: z.enum(['request', 'retention']), by: z.string().min(1).max(64), email_hash: z.string().regex(/^[0-9a-f]{32}$/) });
export type ErasePayload = z.infer<typeof Payload>;

/** A checkpoint refused by a reader holding an old snapshot is tried again soon; the erasure itself is already committed. */
const CHECKPOINT_RETRY_MS = 2_000;

/**
 * Queues one erase_lead job per lead (a lead with one waiting already gets no second). A job like the others: an
 * erasure interrupted by a crash is picked up again on restart. The payload names the address by its hash only.
 */
export function queueErasure(db: Db, leadIds: readonly string[], o: { why: ErasureWhy; by: string; emailHash: string }): number {
  const waiting = db.prepare("SELECT 1 FROM jobs WHERE kind = 'erase_lead' AND lead_id = ? AND status IN ('queued', 'running')").pluck();
  return db.transaction(() => {
    let queued = 0;
    for (const id of leadIds) {
      if (waiting.get(id)) continue;
      enqueue(db, { kind: 'erase_lead', lead_id: id, correlation_id: `erase-${randomUUID()}`, payload: { why: o.why, by: o.by, email_hash: o.emailHash }, max_attempts: 20 });
      queued++;
    }
    return queued;
  })();
}

/**
 * Runs one lead's erasure: the store forgets it in one transaction, each Slack message about it is queued to be
 * replaced by the erased card, and the WAL is checkpointed so no old page of it is left on disk.
 */
export function createEraseHandler(deps: { db: Db; audit: AuditLog; logger: Logger }): JobHandler {
  const { db, audit } = deps;
  return async (job) => {
    const p = Payload.parse(job.payload);
    const on = new Date().toISOString().slice(0, 10);
    db.transaction(() => {
      const result = eraseLead(db, audit, job.lead_id, { why: p.why, by: p.by, emailHash: p.email_hash });
      if (result.places.length) {
        enqueueEffect(db, {
          lead_id: job.lead_id, decision_id: '', kind: 'slack_redact', dedupe_key: `slack_redact:${job.lead_id}`,
          payload: { why: p.why, on, places: result.places }, correlation_id: job.correlation_id,
        });
      }
    })();
    if (!checkpointWal(db)) throw new TransientError('erased; the WAL checkpoint waits for a reader to finish', CHECKPOINT_RETRY_MS);
    deps.logger.info({ lead_id: job.lead_id, why: p.why }, 'lead erased');
    return 'done';
  };
}
