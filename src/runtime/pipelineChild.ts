import { createApp } from '../app.ts';
import { loadConfig } from '../config/env.ts';
import { createLogger } from '../observability/logger.ts';
import { loadPolicy } from '../policy/load.ts';
import type { FromPipeline, ToPipeline } from './messages.ts';

/** Beats a second; metrics ride every fifth beat (a scrape sees them at most five seconds old). */
const BEAT_MS = 1_000;
const METRICS_EVERY = 5;

// A send can still meet a pipe the edge just closed (EPIPE): with a callback that is an answer, not an unhandled
// 'error' event, and the disconnect handler below ends this process anyway.
const send = (m: FromPipeline) => {
  if (process.connected) process.send!(m, undefined, undefined, () => {});
};

// The edge died (killed, crashed): this process dies with it, as one process would have; leases hand over its work.
// First of all, and checked once: an edge killed while this process was still loading must not leave it running.
process.on('disconnect', () => process.exit(1));
if (!process.connected) process.exit(1);

const config = loadConfig();
const logger = createLogger(config.logLevel).child({ process: 'pipeline' });
const app = createApp({ config, loaded: loadPolicy(config.policyPath), logger, role: 'pipeline', onPolicyReloaded: (hash) => send({ type: 'policy', hash }) });

let stopping: Promise<void> | null = null;
function stop(): Promise<void> {
  stopping ??= (async () => {
    clearInterval(beats);
    await app.stop();
    logger.info('pipeline process stopped');
    process.exit(0);
  })();
  return stopping;
}

process.on('message', (m: ToPipeline) => {
  if (m.type === 'nudge') {
    app.worker.nudge();
    app.dispatcher.nudge();
  } else if (m.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

let n = 0;
const beats = setInterval(() => {
  const beat = { type: 'beat' as const, workerTick: app.worker.lastTickAt, dispatcherPass: app.dispatcher.lastPassAt() };
  if (n++ % METRICS_EVERY === 0) void app.metrics.registry.getMetricsAsJSON().then((metrics) => send({ ...beat, metrics }));
  else send(beat);
}, BEAT_MS);

await app.start();
send({ type: 'started' });
logger.info({ pid: process.pid }, 'pipeline process running');
