import type { z } from 'zod';
import type { AuditEntry, AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Job } from '../jobs/worker.ts';

/**
 * Runs a stage once per job: its output and its audit row are committed together, and a job
 * resumed after a crash reads the stored output (re-validated with `schema`) instead of calling
 * the model or APIs again. A run that lost its job's lease writes nothing.
 */
export async function checkpoint<T>(
  db: Db,
  audit: AuditLog,
  job: Pick<Job, 'id' | 'lease'>,
  stage: string,
  schema: z.ZodType<T>,
  run: () => Promise<T> | T,
  describe: (output: T, latencyMs: number) => Omit<AuditEntry, 'stage'>[],
): Promise<T> {
  const stored = db.prepare('SELECT output_json FROM stage_results WHERE job_id = ? AND stage = ?').pluck().get(job.id, stage) as string | undefined;
  if (stored !== undefined) return schema.parse(JSON.parse(stored));
  const started = performance.now();
  const output = await run();
  const latency = performance.now() - started;
  db.transaction(() => {
    job.lease.assertHeld();
    db.prepare('INSERT INTO stage_results (job_id, stage, output_json, created_at) VALUES (?, ?, ?, ?)').run(job.id, stage, JSON.stringify(output), new Date().toISOString());
    for (const entry of describe(output, latency)) audit.record({ ...entry, stage });
  })();
  return output;
}
