import type { z } from 'zod';
import type { AuditEntry, AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

/**
 * Runs a stage once per job: its output and its audit row are committed together, and a job
 * resumed after a crash reads the stored output (re-validated with `schema`) instead of calling
 * the model or APIs again.
 */
export async function checkpoint<T>(
  db: Db,
  audit: AuditLog,
  jobId: number,
  stage: string,
  schema: z.ZodType<T>,
  run: () => Promise<T> | T,
  describe: (output: T, latencyMs: number) => Omit<AuditEntry, 'stage'>[],
): Promise<T> {
  const stored = db.prepare('SELECT output_json FROM stage_results WHERE job_id = ? AND stage = ?').pluck().get(jobId, stage) as string | undefined;
  if (stored !== undefined) return schema.parse(JSON.parse(stored));
  const started = performance.now();
  const output = await run();
  const latency = performance.now() - started;
  db.transaction(() => {
    db.prepare('INSERT INTO stage_results (job_id, stage, output_json, created_at) VALUES (?, ?, ?, ?)').run(jobId, stage, JSON.stringify(output), new Date().toISOString());
    for (const entry of describe(output, latency)) audit.record({ ...entry, stage });
  })();
  return output;
}
