import { randomUUID } from 'node:crypto';
import { retryDelayMs, type BackoffOptions } from '../core/backoff.ts';
import type { Db } from '../store/db.ts';
import type { AuditLog } from '../store/audit.ts';
import { LeadStore } from '../store/leads.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { holdLease, leaseStatements, LeaseLostError, type HeldLease, type JobLease, type LeaseStatements } from './lease.ts';
import { JOB_KINDS, type JobKind } from './queue.ts';

export interface Job {
  id: number;
  kind: JobKind;
  lead_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  correlation_id: string;
  lease: JobLease;
}

/** What a job handler tells the worker; throwing means "retry later" until attempts run out. */
export type JobOutcome = 'done' | 'parked';
export type JobHandler = (job: Job) => Promise<JobOutcome>;

export interface WorkerOptions {
  db: Db;
  audit: AuditLog;
  logger: Logger;
  metrics?: Metrics;
  handlers: Partial<Record<JobKind, JobHandler>>;
  /** Whether parked jobs may run again (the kill switch is off). */
  mayRun: () => boolean;
  concurrency?: number;
  /** How long a claim lasts without renewal; renewed every third of it while the job runs. */
  leaseMs?: number;
  backoff?: BackoffOptions;
}

interface JobRow { id: number; kind: JobKind; lead_id: string; payload_json: string; attempts: number; max_attempts: number; correlation_id: string }

/**
 * Leases jobs from SQLite. A lease that expires (the process died mid-job) makes the job claimable
 * again, until its attempts are spent; handlers resume from their checkpoints, so the job still
 * finishes exactly once. Leases are renewed while a job runs and checked inside every write.
 */
export class JobWorker {
  readonly owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffOptions;
  private readonly claimStmt;
  private readonly expireStmt;
  private readonly kinds: string;
  private readonly leads: LeadStore;
  private readonly leaseSql: LeaseStatements;
  private claims = 0;
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** When the poll loop last ran (epoch ms), for /healthz: a stuck loop shows as an old tick. */
  lastTickAt: number | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private lastSweep = 0;

  constructor(private readonly o: WorkerOptions) {
    this.leads = new LeadStore(o.db);
    this.leaseSql = leaseStatements(o.db);
    this.leaseMs = o.leaseMs ?? 30_000;
    this.concurrency = o.concurrency ?? 4;
    this.backoff = o.backoff ?? { initialDelayMs: 1_000, maxDelayMs: 5 * 60_000 };
    this.kinds = JSON.stringify(JOB_KINDS.filter((k) => o.handlers[k]));
    this.claimStmt = o.db.prepare(`UPDATE jobs SET status = 'running', lease_owner = @token, lease_until = @lease, attempts = attempts + 1, updated_at = @iso
      WHERE id = (SELECT id FROM jobs WHERE kind IN (SELECT value FROM json_each(@kinds))
                  AND ((status = 'queued' AND run_at <= @now) OR (status = 'running' AND lease_until < @now AND attempts < max_attempts))
                  ORDER BY run_at, id LIMIT 1)
      RETURNING id, kind, lead_id, payload_json, attempts, max_attempts, correlation_id`);
    // A job whose every attempt died with its process (a crash loop) is dead, not claimed forever.
    this.expireStmt = o.db.prepare(`UPDATE jobs SET status = 'dead', lease_owner = NULL, lease_until = NULL, updated_at = @iso,
        last_error = 'the last attempt never finished (its process died or stalled past the lease)'
      WHERE status = 'running' AND lease_until < @now AND attempts >= max_attempts RETURNING id, lead_id, attempts, correlation_id`);
  }

  claim(now = Date.now()): Job | null {
    const token = `${this.owner}:${++this.claims}`;
    const row = this.claimStmt.get({ kinds: this.kinds, token, lease: now + this.leaseMs, now, iso: new Date(now).toISOString() }) as JobRow | undefined;
    if (!row) return null;
    const lease = holdLease(this.leaseSql, row.id, token, this.leaseMs, () => this.o.logger.warn({ job_id: row.id, lead_id: row.lead_id }, 'job lease lost; this run stops writing'));
    return {
      id: row.id, kind: row.kind, lead_id: row.lead_id, payload: JSON.parse(row.payload_json) as Record<string, unknown>,
      attempts: row.attempts, max_attempts: row.max_attempts, correlation_id: row.correlation_id, lease,
    };
  }

  /** Claims and runs jobs until none is ready or `limit` ran; returns how many ran. */
  async drain(limit = Infinity): Promise<number> {
    this.sweep(true);
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
      this.lastTickAt = Date.now();
      this.sweep();
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

  /** At most once a second from the polling loop: unparks after the kill switch and buries crash-looping jobs. */
  private sweep(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastSweep < 1_000) return;
    this.lastSweep = now;
    const iso = new Date(now).toISOString();
    const { db, audit } = this.o;
    db.transaction(() => {
      for (const dead of this.expireStmt.all({ now, iso }) as Array<{ id: number; lead_id: string; attempts: number; correlation_id: string }>) {
        this.leads.setStatusIfUndecided(dead.lead_id, 'failed');
        audit.record({ lead_id: dead.lead_id, correlation_id: dead.correlation_id, stage: 'job', event: 'job_dead', reason: 'the last attempt never finished', output: { job_id: dead.id, attempt: dead.attempts } });
      }
    })();
    if (this.o.mayRun()) db.prepare("UPDATE jobs SET status = 'queued', run_at = ?, updated_at = ? WHERE status = 'parked'").run(now, iso);
  }

  private async execute(job: Job): Promise<void> {
    this.running++;
    const lease = job.lease as HeldLease;
    try {
      const outcome = await this.o.handlers[job.kind]!(job);
      this.finish(job, lease, outcome);
    } catch (err) {
      if (err instanceof LeaseLostError || lease.signal.aborted) return;
      this.fail(job, err);
    } finally {
      lease.release();
      this.running--;
    }
  }

  private finish(job: Job, lease: HeldLease, outcome: JobOutcome): void {
    if (!lease.settle(outcome)) return this.o.logger.warn({ job_id: job.id, lead_id: job.lead_id }, 'job finished after its lease was lost; outcome ignored');
    this.o.metrics?.jobs.inc({ outcome });
  }

  private fail(job: Job, err: unknown): void {
    const { db, logger, metrics } = this.o;
    const message = err instanceof Error ? err.message : String(err);
    const dead = job.attempts >= job.max_attempts;
    const delay = retryDelayMs(job.attempts, this.backoff);
    const iso = new Date().toISOString();
    const recorded = db.transaction(() => {
      const info = db.prepare("UPDATE jobs SET status = ?, run_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?")
        .run(dead ? 'dead' : 'queued', Date.now() + delay, message.slice(0, 2000), iso, job.id, job.lease.token);
      if (info.changes === 0) return false;
      if (dead) this.leads.setStatusIfUndecided(job.lead_id, 'failed');
      this.o.audit.record({
        lead_id: job.lead_id, correlation_id: job.correlation_id, stage: 'job', event: dead ? 'job_dead' : 'job_retry',
        reason: message.slice(0, 500), output: { job_id: job.id, attempt: job.attempts, retry_in_ms: dead ? null : delay },
      });
      return true;
    })();
    if (!recorded) return logger.warn({ job_id: job.id, lead_id: job.lead_id, err: message }, 'job failed after its lease was lost; failure ignored');
    logger.warn({ job_id: job.id, lead_id: job.lead_id, correlation_id: job.correlation_id, attempt: job.attempts, dead, err: message }, 'job failed');
    metrics?.jobs.inc({ outcome: dead ? 'dead' : 'retry' });
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
