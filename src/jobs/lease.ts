import type { Db } from '../store/db.ts';

/** This run no longer owns its job (its lease expired and another lane took it over): it must not write. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: lease lost to another run`);
    this.name = 'LeaseLostError';
  }
}

/**
 * One claim on one job. The token is unique per claim, so two lanes of the same worker that both ran
 * a job (the first one stalled past its lease) are told apart. Every write that changes the job's or
 * its lead's state calls `assertHeld()` inside its transaction: a lane whose lease was lost rolls back.
 */
export interface JobLease {
  readonly token: string;
  /** Aborted when a renewal finds the lease gone. */
  readonly signal: AbortSignal;
  assertHeld(): void;
  /** Marks the job done inside the caller's transaction (with its commit), so a crash cannot separate them. */
  complete(): void;
  readonly completed: boolean;
}

export interface HeldLease extends JobLease {
  /** Ends the claim with `outcome` unless the handler already completed it; false when the lease was lost. */
  settle(outcome: 'done' | 'parked'): boolean;
  /** Stops renewing (the run is over). */
  release(): void;
}

/** The lease statements, prepared once per worker: a job runs them several times. */
export function leaseStatements(db: Db) {
  return {
    held: db.prepare("SELECT 1 FROM jobs WHERE id = ? AND status = 'running' AND lease_owner = ?").pluck(),
    renew: db.prepare("UPDATE jobs SET lease_until = ? WHERE id = ? AND status = 'running' AND lease_owner = ?"),
    end: db.prepare("UPDATE jobs SET status = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?"),
  };
}
export type LeaseStatements = ReturnType<typeof leaseStatements>;

/** Takes over the lease `token` for `jobId` and renews it every third of `leaseMs` while the run lasts. */
export function holdLease(sql: LeaseStatements, jobId: number, token: string, leaseMs: number, onLost: () => void): HeldLease {
  const { held, renew, end } = sql;
  const controller = new AbortController();
  let completed = false;
  const lose = () => {
    if (controller.signal.aborted) return;
    controller.abort(new LeaseLostError(jobId));
    onLost();
  };
  const timer = setInterval(() => {
    if (completed) return;
    try {
      if (renew.run(Date.now() + leaseMs, jobId, token).changes === 0) lose();
    } catch {
      // A busy database is not a lost lease; the next renewal tries again well before expiry.
    }
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    token,
    signal: controller.signal,
    get completed() {
      return completed;
    },
    assertHeld() {
      if (!held.get(jobId, token)) {
        lose();
        throw new LeaseLostError(jobId);
      }
    },
    complete() {
      if (end.run('done', new Date().toISOString(), jobId, token).changes === 0) {
        lose();
        throw new LeaseLostError(jobId);
      }
      completed = true;
    },
    settle(outcome) {
      return completed || end.run(outcome, new Date().toISOString(), jobId, token).changes > 0;
    },
    release() {
      clearInterval(timer);
    },
  };
}
