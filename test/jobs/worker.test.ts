import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { JobWorker, requeueDeadJobs, type JobHandler } from '../../src/jobs/worker.ts';
import { silentLogger } from '../../src/observability/logger.ts';

function setup(handler: JobHandler, opts: { mayRun?: () => boolean; leaseMs?: number } = {}) {
  const db = openDb(':memory:');
  const audit = new AuditLog(db);
  const worker = new JobWorker({
    db, audit, logger: silentLogger(), handlers: { process_lead: handler }, mayRun: opts.mayRun ?? (() => true), concurrency: 2,
    leaseMs: opts.leaseMs ?? 60_000, backoff: { initialDelayMs: 1, maxDelayMs: 5 },
  });
  return { db, audit, worker };
}

const job = (db: Db, lead = 'ld_1', max = 3) => enqueue(db, { kind: 'process_lead', lead_id: lead, correlation_id: `c-${lead}`, max_attempts: max });
const status = (db: Db, id: number) => db.prepare('SELECT status, attempts, last_error FROM jobs WHERE id = ?').get(id) as { status: string; attempts: number; last_error: string | null };

describe('JobWorker', () => {
  it('runs each queued job once and marks it done', async () => {
    const seen: string[] = [];
    const { db, worker } = setup(async (j) => {
      seen.push(j.lead_id);
      return 'done';
    });
    const ids = [job(db, 'a'), job(db, 'b'), job(db, 'c')];
    expect(await worker.drain()).toBe(3);
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
    for (const id of ids) expect(status(db, id).status).toBe('done');
    expect(await worker.drain()).toBe(0);
  });

  it('retries a failing job with backoff, then dead-letters it with the error and an audit row', async () => {
    const { db, audit, worker } = setup(async () => {
      throw new Error('boom');
    });
    const id = job(db, 'ld_x', 3);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await worker.drain();
    }
    expect(status(db, id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom' });
    expect(audit.trail('ld_x').map((r) => r.event)).toEqual(['job_retry', 'job_retry', 'job_dead']);
    expect(requeueDeadJobs(db, 'ld_x')).toBe(1);
    expect(status(db, id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('schedules a retry in the future rather than spinning', async () => {
    const db = openDb(':memory:');
    const worker = new JobWorker({
      db, audit: new AuditLog(db), logger: silentLogger(), mayRun: () => true,
      handlers: { process_lead: async () => { throw new Error('later'); } },
      backoff: { initialDelayMs: 60_000, maxDelayMs: 120_000 },
    });
    const id = job(db);
    await worker.drain();
    const runAt = db.prepare('SELECT run_at FROM jobs WHERE id = ?').pluck().get(id) as number;
    expect(runAt).toBeGreaterThan(Date.now() + 1_000);
    expect(await worker.drain()).toBe(0);
  });

  it('takes over a job whose lease expired (its worker died) and not one that is still leased', async () => {
    const runs: number[] = [];
    const { db, worker } = setup(async (j) => {
      runs.push(j.attempts);
      return 'done';
    });
    const id = job(db);
    db.prepare("UPDATE jobs SET status = 'running', lease_owner = 'dead-worker', lease_until = ?, attempts = 1 WHERE id = ?").run(Date.now() + 60_000, id);
    expect(await worker.drain()).toBe(0);
    db.prepare('UPDATE jobs SET lease_until = ? WHERE id = ?').run(Date.now() - 1, id);
    expect(await worker.drain()).toBe(1);
    expect(runs).toEqual([2]);
    expect(status(db, id).status).toBe('done');
  });

  it('never lets two workers claim the same job', () => {
    const { db, worker } = setup(async () => 'done');
    const other = new JobWorker({ db, audit: new AuditLog(db), logger: silentLogger(), handlers: { process_lead: async () => 'done' }, mayRun: () => true });
    job(db);
    expect(worker.claim()).not.toBeNull();
    expect(other.claim()).toBeNull();
  });

  it('leaves parked jobs alone while the kill switch is on and requeues them when it is off', async () => {
    let killed = true;
    let calls = 0;
    const { db, worker } = setup(async () => {
      calls++;
      return killed ? 'parked' : 'done';
    }, { mayRun: () => !killed });
    const id = job(db);
    await worker.drain();
    expect(status(db, id).status).toBe('parked');
    await worker.drain();
    expect(calls).toBe(1);
    killed = false;
    await worker.drain();
    expect(status(db, id).status).toBe('done');
    expect(calls).toBe(2);
  });

  it('renews the lease of a job that runs longer than the lease, so no other lane takes it over', async () => {
    let runs = 0;
    const { db, worker } = setup(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 900));
      return 'done';
    }, { leaseMs: 300 });
    const id = job(db);
    const other = new JobWorker({ db, audit: new AuditLog(db), logger: silentLogger(), handlers: { process_lead: async () => { runs++; return 'done'; } }, mayRun: () => true, leaseMs: 300 });
    const first = worker.drain();
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(other.claim()).toBeNull();
    }
    await first;
    expect(runs).toBe(1);
    expect(status(db, id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('does not claim an expired job whose attempts are spent: it is dead, audited, and its undecided lead failed', async () => {
    let runs = 0;
    const { db, audit, worker } = setup(async () => { runs++; return 'done'; });
    db.prepare("INSERT INTO leads (id, provider, email, email_domain, content_hash, data_json, status, correlation_id, created_at, updated_at) VALUES ('ld_1', 'generic', 'a@b.io', 'b.io', 'h', '{}', 'processing', 'c-ld_1', 'x', 'x')").run();
    const id = job(db, 'ld_1', 3);
    // three runs each died with their process: the lease expired every time
    db.prepare("UPDATE jobs SET status = 'running', lease_owner = 'dead-worker:1', lease_until = ?, attempts = 3 WHERE id = ?").run(Date.now() - 1, id);
    expect(await worker.drain()).toBe(0);
    expect(runs).toBe(0);
    expect(status(db, id).status).toBe('dead');
    expect(db.prepare("SELECT status FROM leads WHERE id = 'ld_1'").pluck().get()).toBe('failed');
    expect(audit.trail('ld_1').map((r) => r.event)).toEqual(['job_dead']);
  });

  it('ignores what a lane that lost its lease reports: a late failure cannot undo the job another lane finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const { db, audit, worker } = setup(async (j) => {
      if (j.attempts === 2) return 'done';
      await gate;
      throw new Error('late failure');
    }, { leaseMs: 60_000 });
    db.prepare("INSERT INTO leads (id, provider, email, email_domain, content_hash, data_json, status, correlation_id, created_at, updated_at) VALUES ('ld_1', 'generic', 'a@b.io', 'b.io', 'h', '{}', 'processing', 'c-ld_1', 'x', 'x')").run();
    const id = job(db, 'ld_1', 2);
    const stalled = worker.drain(1);
    await new Promise((r) => setTimeout(r, 20));
    // the first lane stalled past its lease; a second lane of the same worker takes the job over and finishes it
    db.prepare('UPDATE jobs SET lease_until = ? WHERE id = ?').run(Date.now() - 1, id);
    expect(await worker.drain(1)).toBe(1);
    expect(status(db, id)).toMatchObject({ status: 'done', attempts: 2 });
    release();
    await stalled;
    expect(status(db, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(db.prepare("SELECT status FROM leads WHERE id = 'ld_1'").pluck().get()).toBe('processing');
    expect(audit.trail('ld_1')).toEqual([]);
  });
});
