import type { Db } from '../store/db.ts';

export const JOB_KINDS = ['process_lead', 'hubspot_contact', 'erase_lead'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface EnqueueInput {
  kind: JobKind;
  lead_id: string;
  correlation_id: string;
  payload?: Record<string, unknown>;
  /** Epoch ms; defaults to now. */
  run_at?: number;
  max_attempts?: number;
}

/** Adds a job; call inside the caller's transaction so the lead and its job commit together. */
export function enqueue(db: Db, job: EnqueueInput): number {
  const now = new Date().toISOString();
  const info = db
    .prepare(`INSERT INTO jobs (kind, lead_id, payload_json, run_at, max_attempts, correlation_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(job.kind, job.lead_id, JSON.stringify(job.payload ?? {}), job.run_at ?? Date.now(), job.max_attempts ?? 5, job.correlation_id, now, now);
  return Number(info.lastInsertRowid);
}
