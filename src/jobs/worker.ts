import { randomUUID } from 'node:crypto';
import { retryDelayMs, type BackoffOptions } from '../core/backoff.ts';
import type { Db } from '../store/db.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { JobKind } from './queue.ts';

export interface Job {
  id: number;
  kind: JobKind;
  lead_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  correlation_id: string;
}

/** What a job handler tells the worker; throwing means "retry later" until attempts run out. */
export type JobOutcome = 'done' | 'parked';
export type JobHandler = (job: Job) => Promise<JobOutcome>;

export interface WorkerOptions {
  db: Db;
  audit: AuditLog;
  logger: Logger;
  metrics?: Metrics;
  handler: JobHandler;
  /** Whether parked jobs may run again (the kill switch is off). */
  mayRun: () => boolean;
  concurrency?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
}

interface JobRow { id: number; kind: JobKind; lead_id: string; payload_json: string; attempts: number; max_attempts: number; correlation_id: string }

/**
 * Leases jobs from SQLite. A lease that expires (the process died mid-job) makes the job
 * claimable again; handlers are written to resume from their checkpoints, so the job still
 * finishes exactly once.
 */
export class JobWorker {
  readonly owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffOptions;
  private readonly claimStmt;
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly inflight = new Set<Promise<void>>();
  private lastUnpark = 0;

  constructor(private readonly o: WorkerOptions) {
    this.leaseMs = o.leaseMs ?? 60_000;
    this.concurrency = o.concurrency ?? 4;
    this.backoff = o.backoff ?? { initialDelayMs: 1_000, maxDelayMs: 5 * 60_000 };
    this.claimStmt = o.db.prepare(`UPDATE jobs SET status = 'running', lease_owner = @owner, lease_until = @lease, attempts = attempts + 1, updated_at = @iso
      WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= @now) OR (status = 'running' AND lease_until < @now)
                  ORDER BY run_at, id LIMIT 1)
      RETURNING id, kind, lead_id, payload_json, attempts, max_attempts, correlation_id`);
  }

  claim(now = Date.now()): Job | null {
    const row = this.claimStmt.get({ owner: this.owner, lease: now + this.leaseMs, now, iso: new Date(now).toISOString() }) as JobRow | undefined;
    if (!row) return null;
    return { id: row.id, kind: row.kind, lead_id: row.lead_id, payload: JSON.parse(row.payload_json) as Record<string, unknown>, attempts: row.attempts, max_attempts: row.max_attempts, correlation_id: row.correlation_id };
  }

  /** Claims and runs jobs until none is ready or `limit` ran; returns how many ran. */
  async drain(limit = Infinity): Promise<number> {
    this.unparkIfAllowed(true);
    let ran = 0;
    const lanes = Array.from({ length: this.concurrency }, async () => {
      while (ran < limit) {
        const job = this.claim();
        if (!job) return;
        ran++;
        await this.execute(job);
      }
    });
    await Promise.all(lanes);
    return ran;
  }

  start(pollMs = 200): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.unparkIfAllowed();
      while (this.running < this.concurrency) {
        const job = this.claim();
        if (!job) break;
        this.track(this.execute(job));
      }
      this.timer = setTimeout(tick, this.running > 0 ? 5 : pollMs);
    };
    tick();
  }

  /** Wakes the loop now instead of at the next poll (called after a webhook enqueues). */
  nudge(): void {
    if (this.stopped || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** At most once a second from the polling loop: the kill switch changes rarely, the tick runs every few ms. */
  private unparkIfAllowed(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastUnpark < 1_000) return;
    this.lastUnpark = now;
    if (!this.o.mayRun()) return;
    this.o.db.prepare("UPDATE jobs SET status = 'queued', run_at = ?, updated_at = ? WHERE status = 'parked'").run(Date.now(), new Date().toISOString());
  }

  private async execute(job: Job): Promise<void> {
    this.running++;
    const { db, logger, metrics } = this.o;
    try {
      const outcome = await this.o.handler(job);
      db.prepare("UPDATE jobs SET status = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?")
        .run(outcome, new Date().toISOString(), job.id, this.owner);
      metrics?.jobs.inc({ outcome });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = job.attempts >= job.max_attempts;
      const delay = retryDelayMs(job.attempts, this.backoff);
      db.prepare("UPDATE jobs SET status = ?, run_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?")
        .run(dead ? 'dead' : 'queued', Date.now() + delay, message.slice(0, 2000), new Date().toISOString(), job.id, this.owner);
      if (dead) db.prepare("UPDATE leads SET status = 'failed', updated_at = ? WHERE id = ?").run(new Date().toISOString(), job.lead_id);
      this.o.audit.record({
        lead_id: job.lead_id, correlation_id: job.correlation_id, stage: 'job', event: dead ? 'job_dead' : 'job_retry',
        reason: message.slice(0, 500), output: { job_id: job.id, attempt: job.attempts, retry_in_ms: dead ? null : delay },
      });
      logger.warn({ job_id: job.id, lead_id: job.lead_id, correlation_id: job.correlation_id, attempt: job.attempts, dead, err: message }, 'job failed');
      metrics?.jobs.inc({ outcome: dead ? 'dead' : 'retry' });
    } finally {
      this.running--;
    }
  }
}

/** Puts dead jobs back in the queue (CLI `reprocess` and operators use it after fixing the cause). */
export function requeueDeadJobs(db: Db, leadId?: string): number {
  const sql = leadId
    ? "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, updated_at = ? WHERE status = 'dead' AND lead_id = ?"
    : "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, updated_at = ? WHERE status = 'dead'";
  const args: unknown[] = [Date.now(), new Date().toISOString()];
  if (leadId) args.push(leadId);
  return db.prepare(sql).run(...args).changes;
}
