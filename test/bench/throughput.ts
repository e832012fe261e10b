import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';

export interface ThroughputResult {
  leads: number;
  pipelineSeconds: number;
  leadsPerSecond: number;
  effects: number;
  endToEndLeadsPerSecond: number;
}

/**
 * Pipeline throughput on embedded defaults or against the HTTP fakes named in `env`
 * (zero added latency): leads are stored first, then the clock runs while the worker
 * drains every job and the dispatcher every effect.
 */
export async function measureThroughput(count: number, env: Record<string, string> = {}): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-bench-'));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'bench.sqlite'), ENRICH_WEBSITE_FETCH: 'false', WORKER_CONCURRENCY: '8', ...env });
  const app = createApp({ config, loaded: loadPolicy('data/policy.json'), logger: silentLogger(), background: false });
  try {
    for (let i = 0; i < count; i++) {
      app.intake.acceptLocal('generic', {
        event_id: `tp-${i}`,
        email: `lead${i}@firm${i}.example`,
        name: `Lead ${i}`,
        company: `Firm ${i}`,
        message: i % 3 === 0
          ? 'Please send pricing for 25 seats and a demo; we are evaluating analytics vendors this quarter.'
          : i % 3 === 1 ? 'How do I reset my password? The login page keeps failing for our account.' : 'Just researching analytics tools for a blog post comparison.',
      });
    }
    const started = performance.now();
    while ((await app.worker.drain(500)) > 0);
    const pipelineSeconds = (performance.now() - started) / 1000;
    let effects = 0;
    for (;;) {
      const ran = await app.dispatcher.runOnce();
      effects += ran;
      if (ran === 0) break;
    }
    const total = (performance.now() - started) / 1000;
    return { leads: count, pipelineSeconds, leadsPerSecond: count / pipelineSeconds, effects, endToEndLeadsPerSecond: count / total };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
