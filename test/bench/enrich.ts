import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/env.ts';
import { createInflightLedger } from '../../src/outbox/inflight.ts';
import { createHubspotCrm } from '../../src/crm/hubspot.ts';
import { createEnricher } from '../../src/enrich/enricher.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openDb } from '../../src/store/db.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { PdlFake } from '../fakes/pdl.ts';
import { insertLead, lead } from '../outbox/seed.ts';

export interface EnrichBench {
  p50: number;
  p95: number;
  /** Median, over runs, of the slowest single lookup in the run. */
  slowestLookupMs: number;
  /** Stage time minus its slowest lookup: what parallelism costs (target ≤ 10 ms). */
  overheadP50Ms: number;
  overheadP95Ms: number;
  runs: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/**
 * Enrich-stage latency with every lookup a cache miss against local fakes with realistic delays:
 * HubSpot searches 80 ms, People Data Labs 150 ms, company homepage 120 ms.
 */
export async function benchEnrich(runs = 60): Promise<EnrichBench> {
  const hs = new HubspotFake();
  hs.latencyMs = 80;
  const pdl = new PdlFake();
  pdl.latencyMs = 150;
  const site = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Example Co</title><meta name="description" content="We make things."></head></html>');
    }, 120);
  });
  const [hsUrl, pdlUrl] = await Promise.all([hs.start(), pdl.start(), new Promise<void>((r) => site.listen(0, '127.0.0.2', r))]);
  const siteBase = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;
  const db = openDb(':memory:');
  let last: Record<string, number> = {};
  const enricher = createEnricher({
    db,
    config: loadConfig({ PDL_API_KEY: pdl.apiKey, PDL_BASE_URL: pdlUrl }),
    crm: createHubspotCrm({ accessToken: hs.token, baseUrl: hsUrl, ledger: createInflightLedger(db, { settleMs: 60_000 }) }),
    logger: silentLogger(),
    timeoutMs: 2_000,
    // 127.0.0.2 stands in for the public internet here; private ranges stay refused.
    website: { urlFor: (d) => `${siteBase}/${d}`, agentOptions: { allowIPAddressList: ['127.0.0.2'] }, allowAnyPort: true },
    onLookups: (ms) => (last = ms),
  });
  const stage: number[] = [];
  const slowest: number[] = [];
  const overhead: number[] = [];
  try {
    for (let i = -5; i < runs; i++) {
      const domain = `bench-${i + 10}-co.com`;
      pdl.add(domain, { name: `bench ${i}`, employee_count: 50 });
      const l = lead({ email: `buyer${i + 10}@${domain}` });
      const id = insertLead(db, l);
      const t0 = performance.now();
      const e = await enricher.enrich(l, { lead_id: id, correlation_id: 'bench' });
      const ms = performance.now() - t0;
      if (e.degraded.length) throw new Error(`bench lookup degraded: ${JSON.stringify(e.degraded)}`);
      if (i < 0) continue; // warm-up: JIT, connection setup
      if (process.env.BENCH_DEBUG) console.log(last, ms);
      const max = Math.max(...Object.values(last));
      stage.push(ms);
      slowest.push(max);
      overhead.push(ms - max);
    }
  } finally {
    site.closeAllConnections();
    await Promise.all([hs.stop(), pdl.stop(), new Promise((r) => site.close(r))]);
    db.close();
  }
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: r2(pct(stage, 50)), p95: r2(pct(stage, 95)), slowestLookupMs: r2(pct(slowest, 50)),
    overheadP50Ms: r2(pct(overhead, 50)), overheadP95Ms: r2(pct(overhead, 95)), runs,
  };
}
