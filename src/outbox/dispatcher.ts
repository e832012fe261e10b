import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { EFFECT_KINDS, type EffectKind, type OutboxEffect } from '../core/effects.ts';
import { DeferredError, PermanentError, TransientError } from '../core/upstream.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { retryDelayMs, type BackoffOptions } from '../core/backoff.ts';
import type { EffectHandler, OutboxRow } from './types.ts';
import { callForgetter } from './inflight.ts';
import { createOutboxLeases } from './leases.ts';

export interface DispatcherDeps {
  db: Db;
  audit: AuditLog;
  logger: Logger;
  metrics?: Metrics;
  handlers: Partial<Record<EffectKind, EffectHandler>>;
  /** Kinds another dispatcher of this process runs (its own lanes): not warned about as unhandled. */
  handledElsewhere?: readonly EffectKind[];
  concurrency?: number;
  maxAttempts?: number;
  /** How long a claim lasts without renewal (renewed every third of it while the effect runs); an expired lease (crash) is claimed again. */
  leaseMs?: number;
  /** A handler running longer than this counts as a transient timeout. */
  handlerTimeoutMs?: number;
  backoff?: BackoffOptions;
}

export interface Dispatcher {
  runOnce(): Promise<number>;
  /** When a pass last started (epoch ms), for /healthz. */
  lastPassAt(): number | null;
  start(intervalMs?: number): void;
  /** New effects are waiting (a decision committed): run a pass now instead of at the next tick. */
  nudge(): void;
  stop(): Promise<void>;
}

type Outcome = 'done' | 'retry' | 'dead' | 'deferred';

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { db, audit, logger, metrics, handlers } = deps;
  const concurrency = deps.concurrency ?? 4;
  // With the backoff below, twelve tries of one effect span 15 to 30 minutes (median 27): a vendor outage shorter than
  // that dead-letters nothing; while a breaker is open only its trial calls spend attempts.
  const maxAttempts = deps.maxAttempts ?? 12;
  const leaseMs = deps.leaseMs ?? 30_000;
  const handlerTimeout = timeout(deps.handlerTimeoutMs ?? 60_000, TimeoutStrategy.Aggressive);
  const leases = createOutboxLeases(db, audit, logger, { leaseMs, maxAttempts });
  const owner = leases.owner;
  const kinds = JSON.stringify(EFFECT_KINDS.filter((k) => handlers[k]));
  const warnedKinds = new Set<string>();
  const backoff = deps.backoff ?? { initialDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

  // One statement claims the rows: SQLite's write lock makes it atomic across dispatchers and processes.
  const claim = db.prepare(`UPDATE outbox SET status = 'running', lease_owner = @owner, lease_until = @lease, attempts = attempts + 1, updated_at = @stamp
    WHERE id IN (SELECT id FROM outbox WHERE kind IN (SELECT value FROM json_each(@kinds))
      AND ((status = 'pending' AND next_attempt_at <= @now) OR (status = 'running' AND lease_until < @now AND attempts < @max))
      ORDER BY next_attempt_at, id LIMIT @limit)
    RETURNING *`);
  // Bookkeeping and renewal only count while this claim (owner + attempt number) still holds the row.
  const finish = db.prepare(`UPDATE outbox SET status = @status, result_json = COALESCE(@result, result_json), last_error = @error,
      next_attempt_at = @next, attempts = attempts - @refund, lease_owner = NULL, lease_until = NULL, updated_at = @stamp
    WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts`);
  const forgetCalls = callForgetter(db);

  function warnUnhandled(): void {
    const known = JSON.stringify([...JSON.parse(kinds) as string[], ...(deps.handledElsewhere ?? [])]);
    const pending = db.prepare(`SELECT DISTINCT kind FROM outbox WHERE status = 'pending' AND kind NOT IN (SELECT value FROM json_each(?))`).pluck().all(known) as string[];
    for (const kind of pending) {
      if (warnedKinds.has(kind)) continue;
      warnedKinds.add(kind);
      logger.warn({ kind }, 'outbox: no handler registered for this effect kind; its rows stay pending');
    }
  }

  function toEffect(row: OutboxRow): OutboxEffect {
    return {
      id: row.id, lead_id: row.lead_id, decision_id: row.decision_id, kind: row.kind as EffectKind, dedupe_key: row.dedupe_key,
      payload: JSON.parse(row.payload_json) as Record<string, unknown>, attempts: row.attempts, correlation_id: row.correlation_id,
    };
  }

  async function execute(row: OutboxRow): Promise<void> {
    const handler = handlers[row.kind as EffectKind];
    const started = performance.now();
    let outcome: Outcome;
    let result: unknown = null;
    let error: string | null = null;
    let next = row.next_attempt_at;
    leases.hold(row);
    try {
      result = await handlerTimeout.execute(() => handler!(toEffect(row)));
      outcome = 'done';
    } catch (err) {
      const e = err instanceof TaskCancelledError ? new TransientError(`${row.kind}: handler timed out`) : err;
      error = e instanceof Error ? e.message.slice(0, 500) : 'unknown error';
      if (e instanceof DeferredError) {
        // The vendor was not tried: the attempt the claim counted is given back.
        outcome = 'deferred';
        next = Date.now() + e.retryAfterMs;
      } else if (e instanceof PermanentError || row.attempts >= maxAttempts) {
        outcome = 'dead';
      } else {
        // Unknown errors are retried too: the attempt budget still bounds them.
        outcome = 'retry';
        next = Date.now() + retryDelayMs(row.attempts, backoff, e instanceof TransientError ? e.retryAfterMs : undefined);
      }
    } finally {
      leases.release(row.id);
    }
    const latency = performance.now() - started;
    const status = outcome === 'done' ? 'done' : outcome === 'dead' ? 'dead' : 'pending';
    const info = db.transaction(() => {
      const done = finish.run({
        status, result: outcome === 'done' ? JSON.stringify(result ?? null) : null, error, next, stamp: new Date().toISOString(),
        refund: outcome === 'deferred' ? 1 : 0, id: row.id, owner, attempts: row.attempts,
      });
      if (done.changes > 0 && outcome === 'done') forgetCalls(row.dedupe_key);
      return done;
    })();
    if (info.changes === 0) {
      logger.warn({ outbox_id: row.id, kind: row.kind }, 'outbox: lease lost before bookkeeping; another dispatcher owns this effect now');
      return;
    }
    metrics?.effects.inc({ kind: row.kind, outcome });
    if (outcome === 'deferred') {
      logger.info({ outbox_id: row.id, kind: row.kind, lead_id: row.lead_id, reason: error, retry_at: new Date(next).toISOString() }, 'outbox: effect deferred');
      return;
    }
    audit.record({
      lead_id: row.lead_id,
      correlation_id: row.correlation_id,
      stage: 'act',
      event: `effect_${outcome}`,
      decision: row.kind,
      reason: error,
      latency_ms: Math.round(latency * 10) / 10,
      output: { outbox_id: row.id, kind: row.kind, attempt: row.attempts, dedupe_key: row.dedupe_key, ...(outcome === 'done' ? { result } : {}), ...(outcome === 'retry' ? { next_attempt_at: new Date(next).toISOString() } : {}) },
    });
    const log = { outbox_id: row.id, kind: row.kind, lead_id: row.lead_id, attempt: row.attempts, latency_ms: Math.round(latency) };
    if (outcome === 'dead') logger.error({ ...log, error }, 'outbox: effect dead-lettered');
    else if (outcome === 'retry') logger.warn({ ...log, error }, 'outbox: effect will be retried');
    else logger.info(log, 'outbox: effect done');
  }

  let lastSweep = 0;

  let lastPass: number | null = null;

  async function runOnce(): Promise<number> {
    const now = Date.now();
    lastPass = now;
    // Scans rows: once a second is plenty for burying crash loops, once a minute for a warning.
    if (now - lastSweep > 1_000) {
      if (now - lastSweep > 60_000) warnUnhandled();
      lastSweep = now;
      leases.buryExpired(now);
    }
    const rows = claim.all({ owner, lease: now + leaseMs, stamp: new Date(now).toISOString(), kinds, now, max: maxAttempts, limit: concurrency }) as OutboxRow[];
    await Promise.all(rows.map((row) => execute(row)));
    return rows.length;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let interval = 1_000;
  let nudged = false;

  function loop(intervalMs: number): void {
    running = (async () => {
      try {
        // Keep draining while batches come back full; otherwise wait for the next tick. Handlers that
        // answer without I/O (embedded CRM, recorded Slack) resolve in microtasks, so yield between
        // batches or a backlog would starve the HTTP server.
        while (!stopped && (await runOnce()) >= concurrency) await yieldToEventLoop();
      } catch (err) {
        logger.error({ err }, 'outbox: dispatcher pass failed');
      }
    })();
    void running.then(() => {
      if (stopped) return;
      // A nudge during the pass means effects may have arrived after its claim: look again at once.
      if (nudged) {
        nudged = false;
        loop(intervalMs);
      } else timer = setTimeout(() => { timer = null; loop(intervalMs); }, intervalMs);
    });
  }

  return {
    runOnce,
    lastPassAt: () => lastPass,
    start(intervalMs = 1_000) {
      if (!stopped) return;
      stopped = false;
      interval = intervalMs;
      loop(intervalMs);
    },
    nudge() {
      if (stopped) return;
      if (!timer) {
        nudged = true; // a pass is running
        return;
      }
      clearTimeout(timer);
      timer = null;
      loop(interval);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      leases.stop();
    },
  };
}

/** Dispatchers with lanes of their own (cards apart from CRM writes), driven as one: a pass runs each, a nudge reaches each. */
export function combineDispatchers(...all: Dispatcher[]): Dispatcher {
  return {
    runOnce: async () => (await Promise.all(all.map((d) => d.runOnce()))).reduce((a, b) => a + b, 0),
    // The stalest one is what health must see.
    lastPassAt: () => all.map((d) => d.lastPassAt()).reduce((a, b) => (a === null || b === null ? null : Math.min(a, b))),
    start: (intervalMs) => all.forEach((d) => d.start(intervalMs)),
    nudge: () => all.forEach((d) => d.nudge()),
    stop: async () => {
      await Promise.all(all.map((d) => d.stop()));
    },
  };
}
