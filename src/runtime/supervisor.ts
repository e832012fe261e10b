import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { retryDelayMs } from '../core/backoff.ts';
import type { Logger } from '../observability/logger.ts';
import type { FromPipeline, ToPipeline } from './messages.ts';

const ENTRY = new URL('../../bin/pipeline.js', import.meta.url);
/** How long a stop waits for the pipeline to finish its in-flight work before it is killed (leases recover the rest). */
const STOP_WAIT_MS = 40_000;
/** A process that lived this long was healthy: its next crash starts the backoff again from one second. */
const STABLE_MS = 60_000;

export interface PipelineLink {
  nudge(): void;
  /** The pipeline's loops as it last reported them; null ticks while it is down or starting. */
  health(): { workerTick: number | null; dispatcherPass: number | null; pid: number | null; restarts: number };
  /** Its last metrics snapshot, for /metrics. */
  metrics(): Array<MetricObjectWithValues<MetricValue<string>>> | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the pipeline (job worker, outbox dispatcher, schedules) in a child process with its own SQLite connection,
 * so a burst of pipeline work never delays a webhook's acknowledgement on the HTTP event loop. The child is
 * restarted when it dies (with backoff, logged); leases hand its unfinished jobs and effects to the next one. It
 * inherits this process's environment, so it reads the same configuration.
 */
export function supervisePipeline(o: { logger: Logger; onPolicy: (hash: string) => void }): PipelineLink {
  const log = o.logger.child({ component: 'supervisor' });
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let failures = 0;
  let beat: Extract<FromPipeline, { type: 'beat' }> | null = null;
  let lastMetrics: Array<MetricObjectWithValues<MetricValue<string>>> | null = null;
  let restartTimer: NodeJS.Timeout | null = null;

  const send = (m: ToPipeline) => {
    if (child?.connected) child.send(m, () => undefined);
  };

  function spawnChild(): Promise<void> {
    const startedAt = Date.now();
    const c = fork(ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = c;

    beat = null;
    const started = new Promise<void>((resolve, reject) => {
      c.on('message', (m: FromPipeline) => {
        if (m.type === 'started') resolve();
        else if (m.type === 'beat') {
          beat = m;
          if (m.metrics) lastMetrics = m.metrics;
        } else if (m.type === 'policy') o.onPolicy(m.hash);
      });
      c.once('exit', (code) => reject(new Error(`the pipeline process exited with ${code} before it started`)));
    });
    c.once('exit', (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      failures = Date.now() - startedAt > STABLE_MS ? 1 : failures + 1;
      const delay = retryDelayMs(failures, { initialDelayMs: 1_000, maxDelayMs: 30_000 });
      log.error({ code, signal, restart_in_ms: Math.round(delay) }, 'pipeline process died; restarting it');
      restartTimer = setTimeout(() => {
        restarts++;
        spawnChild().then(() => log.info({ pid: child?.pid, restarts }, 'pipeline process restarted'), (err: unknown) => log.error({ err }, 'pipeline restart failed'));
      }, delay);
    });
    return started;
  }

  return {
    nudge: () => send({ type: 'nudge' }),
    health: () => ({ workerTick: child ? beat?.workerTick ?? null : null, dispatcherPass: child ? beat?.dispatcherPass ?? null : null, pid: child?.pid ?? null, restarts }),
    metrics: () => lastMetrics,
    async start() {
      try {
        await spawnChild();
      } catch (err) {
        // It could not start at all (a bad config it reads differently, a crash at boot): serve fails instead of looping.
        stopping = true;
        if (restartTimer) clearTimeout(restartTimer);
        throw err;
      }
      log.info({ pid: child?.pid }, 'pipeline process started');
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = once(c, 'exit');
      send({ type: 'stop' });
      const timer = setTimeout(() => c.kill('SIGKILL'), STOP_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
