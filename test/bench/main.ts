import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLoop } from './load.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { measureThroughput } from './throughput.ts';
import { benchEnrich } from './enrich.ts';
import { benchAssign } from './assign.ts';
import { reportPromptCache } from './prompt-cache.ts';
import { benchSpeed, parseSpeedArgs } from './speed.ts';
import { benchMemory } from './memory.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { startSlackFake } from '../fakes/slack.ts';

const fmt = (n: number) => n.toFixed(2);
const SECRET = 'bench-secret';

/** The server's own ack histogram (from /metrics): cumulative counts by bucket bound in seconds. */
async function ackBuckets(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries([...text.matchAll(/lead_triage_webhook_ack_seconds_bucket\{le="([^"]+)",provider="generic"\} (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

/**
 * Webhook acknowledgement under load, with the pipeline in its own process (PIPELINE_PROCESS=child, the default)
 * and, in the same sitting, inline (one process): idle at 20 req/s first, then 200 and 500 req/s while the pipeline
 * works through what arrived. The target compares within one run: p99 at 500 ≤ 3× p99 idle, nothing over 100 ms.
 */
async function ackLatency(): Promise<void> {
  for (const mode of ['child', 'inline'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'lt-bench-'));
    const server = await startServerProcess({ DATABASE_PATH: join(dir, 'ack.sqlite'), WEBHOOK_SECRET: SECRET, ENRICH_WEBSITE_FETCH: 'false', PIPELINE_PROCESS: mode });
    try {
      await openLoop(`${server.url}/webhooks/generic`, SECRET, 20, 2); // warm-up: JIT, SQLite page cache
      await new Promise((r) => setTimeout(r, 2_000)); // the pipeline drains the warm-up: idle
      const runs: Array<[number, number, string]> = [[20, 5, 'pipeline idle'], [200, 10, 'pipeline running'], [500, 4, 'pipeline saturated']];
      const results = [];
      for (const [rps, seconds, state] of runs) {
        const before = await ackBuckets(server.url);
        const r = await openLoop(`${server.url}/webhooks/generic`, SECRET, rps, seconds);
        const after = await ackBuckets(server.url);
        const under = (le: string) => `${fmt((100 * ((after[le] ?? 0) - (before[le] ?? 0))) / r.sent)}%`;
        results.push(r);
        console.log(`ack latency, pipeline ${mode === 'child' ? 'in its own process' : 'inline (one process)'}, @ ${rps} req/s for ${seconds} s (${state}): ` +
          `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms; achieved ${fmt(r.achievedRps)} req/s; statuses ${JSON.stringify(r.statuses)}; ` +
          `server-side (handler) under 10 ms ${under('0.01')}, under 100 ms ${under('0.1')}`);
      }
      const [idle, , saturated] = results as [typeof results[0], typeof results[0], typeof results[0]];
      console.log(`  ${mode}: p99 @ 500 req/s saturated / p99 @ 20 req/s idle = ${fmt(saturated.p99 / idle.p99)}× (target ≤ 3×); slowest request ${fmt(Math.max(...results.map((r) => r.max)))} ms (target ≤ 100 ms)`);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function throughput(): Promise<void> {
  const report = (label: string, r: Awaited<ReturnType<typeof measureThroughput>>) =>
    console.log(`pipeline throughput, ${label}: ${r.leads} leads in ${fmt(r.pipelineSeconds)} s = ${fmt(r.leadsPerSecond)} leads/s; ` +
      `with ${r.effects} outbox effects dispatched: ${fmt(r.endToEndLeadsPerSecond)} leads/s end to end`);
  report('embedded defaults (offline classifier, SQLite CRM, recorded Slack)', await measureThroughput(3000));

  const hubspot = new HubspotFake();
  const slack = await startSlackFake();
  try {
    report('real HubSpot and Slack SDKs against the local fakes at zero latency', await measureThroughput(2000, {
      HUBSPOT_ACCESS_TOKEN: hubspot.token, HUBSPOT_BASE_URL: await hubspot.start(),
      SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: slack.apiUrl,
    }));
  } finally {
    await hubspot.stop();
    await slack.close();
  }
}

async function enrichment(): Promise<void> {
  const r = await benchEnrich();
  console.log(`enrichment stage, all lookups in parallel against fakes (HubSpot 80 ms, PDL 150 ms, website 120 ms), ${r.runs} runs: ` +
    `p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms; slowest lookup ${fmt(r.slowestLookupMs)} ms; stage minus slowest lookup p50 ${fmt(r.overheadP50Ms)} ms, p95 ${fmt(r.overheadP95Ms)} ms`);
}

function routing(): void {
  const r = benchAssign();
  console.log(`assign() with 50 people in 5 pools over 2,000 ledger entries: ${(r.perLeadMs * 1000).toFixed(1)} µs per lead (${r.leads} leads, ${r.assigned} assigned); ` +
    `reading that ledger from SQLite first: ${(r.readStateMs * 1000).toFixed(1)} µs`);
}

const only = process.argv[2];
if (!only || only === 'assign') routing();
if (!only || only === 'ack') await ackLatency();
if (!only || only === 'pipeline') await throughput();
if (!only || only === 'enrich') await enrichment();
if (!only || only === 'prompt-cache') await reportPromptCache();
// Long-running parts (about a minute or more each): only when named, with their own flags after the name.
if (only === 'speed') await benchSpeed(parseSpeedArgs(process.argv.slice(3)));
if (only === 'memory') await benchMemory(process.argv.slice(3));
