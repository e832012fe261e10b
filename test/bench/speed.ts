import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startServerProcess } from '../helpers/server-process.ts';
import { signWebhook } from '../helpers/sign.ts';
import { percentile } from './load.ts';
import type { CardSeen, FakesQuestion, SpeedFakeUrls } from './speed-fakes.ts';

/**
 * `npm run bench -- speed`: submission → decision and submission → card for one lead at a time and for a
 * burst, with `serve` in its own process (real HubSpot, Anthropic and Slack SDKs, PDL over HTTP) talking to
 * fakes in a third process that answer after realistic delays. Everything is on 127.0.0.1.
 */
export interface SpeedOptions {
  modelMs: number;
  hubspotMs: number;
  pdlMs: number;
  websiteMs: number;
  slackMs: number;
  singles: number;
  burst: number;
  /** WORKER_CONCURRENCY for serve; undefined keeps the product's default. */
  workerConcurrency?: number;
}

export function parseSpeedArgs(argv: string[]): SpeedOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'model-ms': { type: 'string', default: '1200' },
      'hubspot-ms': { type: 'string', default: '150' },
      'pdl-ms': { type: 'string', default: '300' },
      'website-ms': { type: 'string', default: '400' },
      'slack-ms': { type: 'string', default: '100' },
      singles: { type: 'string', default: '10' },
      burst: { type: 'string', default: '50' },
      'worker-concurrency': { type: 'string' },
    },
  });
  const num = (name: string, v: string | undefined, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name} must be a whole number from 0 to ${max}`);
    return n;
  };
  return {
    modelMs: num('model-ms', values['model-ms'], 60_000),
    hubspotMs: num('hubspot-ms', values['hubspot-ms'], 60_000),
    pdlMs: num('pdl-ms', values['pdl-ms'], 60_000),
    websiteMs: num('website-ms', values['website-ms'], 60_000),
    slackMs: num('slack-ms', values['slack-ms'], 60_000),
    singles: Math.max(1, num('singles', values.singles, 100)),
    burst: Math.max(1, num('burst', values.burst, 500)),
    ...(values['worker-concurrency'] !== undefined ? { workerConcurrency: num('worker-concurrency', values['worker-concurrency'], 256) } : {}),
  };
}

const SECRET = 'bench-speed-secret';
const WARMUP = 2;
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

interface Fakes {
  urls: SpeedFakeUrls;
  ask<T>(m: FakesQuestion): Promise<T>;
  stop(): Promise<void>;
}

/** The fakes in a child process (test/bench/speed-fakes.ts); its first stdout line is their URLs. */
async function startFakes(o: SpeedOptions): Promise<Fakes> {
  const child: ChildProcess = spawn(process.execPath, [
    '--import', 'tsx', 'test/bench/speed-fakes.ts',
    '--model-ms', String(o.modelMs), '--hubspot-ms', String(o.hubspotMs), '--pdl-ms', String(o.pdlMs), '--slack-ms', String(o.slackMs),
  ], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const urls = await new Promise<SpeedFakeUrls>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fakes did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`fakes exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as SpeedFakeUrls);
    });
  });
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  child.on('message', (m: { id: number }) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  return {
    urls,
    ask: <T>(m: FakesQuestion) => new Promise<T>((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => reject(new Error(`fakes did not answer ${m.type}`)), 10_000);
      waiting.set(id, (v) => { clearTimeout(timer); resolve(v as T); });
      child.send({ ...m, id });
    }),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.send({ type: 'stop' });
    }),
  };
}

interface Submitted { n: number; lead_id: string; submittedAt: number }

let leadSeq = 0;
const domainOf = (n: number) => `speedco-${process.pid}-${n}.com`;

/** A confident buyer on a company domain of its own; the POST's start is the submission time. */
function submit(url: string, agent: Agent, n: number): Promise<Submitted> {
  const body = JSON.stringify({
    event_id: `speed-${process.pid}-${n}`,
    email: `buyer${n}@${domainOf(n)}`,
    name: `Speed Buyer ${n}`,
    company: `Speedco ${n}`,
    message: 'We are a 120-person SaaS team evaluating product analytics and would like a demo and pricing for 40 seats next week.',
  });
  const headers = { ...signWebhook('generic', SECRET, body), 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/generic`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 202) return reject(new Error(`webhook answered ${res.statusCode}: ${text}`));
        resolve({ n, lead_id: (JSON.parse(text) as { lead_id: string }).lead_id, submittedAt });
      });
    });
    req.on('error', reject);
    const submittedAt = Date.now();
    req.end(body);
  });
}

interface Timeline {
  lead_id: string;
  submittedAt: number;
  stored: number;
  stages: Record<string, number>;
  decision: number;
  final_action: string;
  card: number;
  cardKind: string;
  effects: Array<{ kind: string; status: string; at: number }>;
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** Waits until every lead has a decision and a card (or `timeoutMs`), then reads each one's timeline. */
async function collect(db: Database.Database, fakes: Fakes, subs: Submitted[], cards: Map<string, CardSeen>, cursor: { next: number }, timeoutMs: number, settleEffects: boolean): Promise<Timeline[]> {
  const deadline = Date.now() + timeoutMs;
  const want = new Set(subs.map((s) => s.lead_id));
  const pendingEffects = db.prepare(`SELECT COUNT(*) FROM outbox WHERE lead_id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'running')`).pluck();
  for (;;) {
    const got = await fakes.ask<{ next: number; cards: CardSeen[] }>({ type: 'cards', from: cursor.next });
    cursor.next = got.next;
    for (const c of got.cards) if (c.lead_id && !cards.has(c.lead_id)) cards.set(c.lead_id, c);
    const allCards = [...want].every((id) => cards.has(id));
    const effectsIdle = !settleEffects || (pendingEffects.get(JSON.stringify([...want])) as number) === 0;
    if ((allCards && effectsIdle) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const lead = db.prepare('SELECT created_at FROM leads WHERE id = ?').pluck();
  const stages = db.prepare('SELECT s.stage, s.created_at FROM stage_results s JOIN jobs j ON j.id = s.job_id WHERE j.lead_id = ?');
  const decision = db.prepare('SELECT created_at, final_action FROM decisions WHERE lead_id = ? AND version = 1');
  const effects = db.prepare('SELECT kind, status, updated_at FROM outbox WHERE lead_id = ? ORDER BY id');
  return subs.map((s) => {
    const d = decision.get(s.lead_id) as { created_at: string; final_action: string } | undefined;
    const c = cards.get(s.lead_id);
    return {
      lead_id: s.lead_id,
      submittedAt: s.submittedAt,
      stored: ms(lead.get(s.lead_id) as string | undefined),
      stages: Object.fromEntries((stages.all(s.lead_id) as Array<{ stage: string; created_at: string }>).map((r) => [r.stage, ms(r.created_at)])),
      decision: ms(d?.created_at),
      final_action: d?.final_action ?? 'none',
      card: c?.at ?? NaN,
      cardKind: c?.key?.split(':').at(-1) ?? 'none',
      effects: (effects.all(s.lead_id) as Array<{ kind: string; status: string; updated_at: string }>).map((e) => ({ kind: e.kind, status: e.status, at: ms(e.updated_at) })),
    };
  });
}

interface Spread { p50: number; p95: number; max: number }
function spread(xs: number[]): Spread {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN };
}
const show = (s: Spread) => `p50 ${f0(s.p50)} ms, p95 ${f0(s.p95)} ms, max ${f0(s.max)} ms`;
const minus = (s: Spread, d: number): Spread => ({ p50: s.p50 - d, p95: s.p95 - d, max: s.max - d });
const count = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});

export async function benchSpeed(o: SpeedOptions): Promise<void> {
  const started = Date.now();
  const lookupsPath = Math.max(o.hubspotMs, o.pdlMs);
  const decisionPath = lookupsPath + o.modelMs;
  const cardPath = decisionPath + o.slackMs;
  const lanes = o.workerConcurrency ?? 64;
  console.log(`speed: serve in its own process with the real HubSpot, Anthropic and Slack SDKs (PDL over fetch) against fakes in a third process; ` +
    `delays: model ${o.modelMs} ms, HubSpot ${o.hubspotMs} ms, PDL ${o.pdlMs} ms, Slack ${o.slackMs} ms; website ${o.websiteMs} ms NOT exercised ` +
    `(serve's website fetch refuses loopback and has no setting to point it at a local fake, so ENRICH_WEBSITE_FETCH=false); ` +
    `WORKER_CONCURRENCY ${o.workerConcurrency ?? 'default (64)'}`);
  console.log(`critical path: decision = max(HubSpot contact search, HubSpot company search, PDL) + model = max(${o.hubspotMs}, ${o.hubspotMs}, ${o.pdlMs}) + ${o.modelMs} = ${decisionPath} ms; ` +
    `card = decision + Slack chat.postMessage = ${cardPath} ms (the card is an outbox effect of its own, claimed with the lead's CRM writes and run beside them, not after; ` +
    `with the website lookup it would be max(…, ${o.websiteMs}) → +${Math.max(0, o.websiteMs - lookupsPath)} ms)`);

  const fakes = await startFakes(o);
  const dir = mkdtempSync(join(tmpdir(), 'lt-speed-'));
  const dbPath = join(dir, 'speed.sqlite');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  let db: Database.Database | null = null;
  try {
    const total = WARMUP + o.singles + o.burst;
    await fakes.ask({ type: 'companies', domains: Array.from({ length: total }, (_, i) => domainOf(leadSeq + i + 1)) });
    server = await startServerProcess({
      DATABASE_PATH: dbPath, WEBHOOK_SECRET: SECRET, ENRICH_WEBSITE_FETCH: 'false',
      SLACK_BOT_TOKEN: fakes.urls.slackToken, SLACK_SIGNING_SECRET: 'bench-slack-signing', SLACK_API_URL: fakes.urls.slackApiUrl,
      HUBSPOT_ACCESS_TOKEN: fakes.urls.hubspotToken, HUBSPOT_BASE_URL: fakes.urls.hubspotUrl,
      ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: fakes.urls.anthropicUrl,
      PDL_API_KEY: fakes.urls.pdlKey, PDL_BASE_URL: fakes.urls.pdlUrl,
      ...(o.workerConcurrency !== undefined ? { WORKER_CONCURRENCY: String(o.workerConcurrency) } : {}),
    });
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const cards = new Map<string, CardSeen>();
    const cursor = { next: 0 };

    // One lead at a time: each waits for its card and for all its effects, so the next starts on an idle server.
    const singles: Timeline[] = [];
    for (let i = 0; i < WARMUP + o.singles; i++) {
      const s = await submit(server.url, agent, ++leadSeq);
      const [t] = await collect(db, fakes, [s], cards, cursor, 30_000, true);
      if (i >= WARMUP) singles.push(t!);
      // A random pause, so successive leads meet the dispatcher's polling at random phases rather than in step.
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1000));
    }

    // The burst: every submission fired at once, each timed from its own POST.
    const sendStart = Date.now();
    const burstSubs = await Promise.all(Array.from({ length: o.burst }, () => submit(server!.url, agent, ++leadSeq)));
    const sendMs = Math.max(...burstSubs.map((s) => s.submittedAt)) - sendStart;
    const burst = await collect(db, fakes, burstSubs, cards, cursor, 300_000, true);

    const report = (label: string, ts: Timeline[]) => {
      const dec = spread(ts.map((t) => t.decision - t.submittedAt));
      const card = spread(ts.map((t) => t.card - t.submittedAt));
      const cardOverhead = minus(card, cardPath);
      console.log(`${label}: submission → decision ${show(dec)} (overhead over ${decisionPath} ms: ${show(minus(dec, decisionPath))}); ` +
        `submission → card ${show(card)} (overhead over ${cardPath} ms: ${show(cardOverhead)})`);
      const missing = ts.filter((t) => !Number.isFinite(t.card) || !Number.isFinite(t.decision)).length;
      console.log(`  decision → card ${show(spread(ts.map((t) => t.card - t.decision)))} (Slack's own share: ${o.slackMs} ms)`);
      console.log(`  decisions ${JSON.stringify(count(ts.map((t) => t.final_action)))}, cards ${JSON.stringify(count(ts.map((t) => t.cardKind)))}${missing ? `, ${missing} without a decision or card in time` : ''}`);
      return { dec, card, cardOverhead };
    };

    const one = report(`one lead (${o.singles} runs, one at a time after ${WARMUP} warm-up leads)`, singles);
    const seg = (from: (t: Timeline) => number, to: (t: Timeline) => number) => f0(median(singles.map((t) => to(t) - from(t)).filter(Number.isFinite)));
    console.log(`  where one lead's time goes (medians): POST → stored ${seg((t) => t.submittedAt, (t) => t.stored)} ms, ` +
      `stored → precheck done ${seg((t) => t.stored, (t) => t.stages.precheck!)} ms, ` +
      `→ enrich done ${seg((t) => t.stages.precheck!, (t) => t.stages.enrich!)} ms (path ${lookupsPath}), ` +
      `→ classify done ${seg((t) => t.stages.enrich!, (t) => t.stages.classify!)} ms (path ${o.modelMs}), ` +
      `→ decision committed ${seg((t) => t.stages.classify!, (t) => t.decision)} ms, ` +
      `decision → card ${seg((t) => t.decision, (t) => t.card)} ms (path ${o.slackMs})`);
    const kinds = [...new Set(singles.flatMap((t) => t.effects.map((e) => e.kind)))];
    console.log(`  each effect done, after the decision (medians): ${kinds.map((k) => {
      const xs = singles.map((t) => (t.effects.find((e) => e.kind === k && e.status === 'done')?.at ?? NaN) - t.decision).filter(Number.isFinite);
      return `${k} +${f0(median(xs))} ms`;
    }).join(', ')}`);

    const b = report(`burst of ${o.burst} (all POSTs sent within ${sendMs} ms)`, burst);
    const waves = Math.ceil(o.burst / lanes);
    console.log(`  with ${lanes} worker lanes the last decision cannot come before ${waves} × ${decisionPath} ms = ${(waves * decisionPath / 1000).toFixed(1)} s (lanes hold a job through its model call)`);

    console.log(`targets: one lead's overhead (submission → card minus ${cardPath} ms) p50 ${f0(one.cardOverhead.p50)} ms, max ${f0(one.cardOverhead.max)} ms: ≤ 50 ms ${one.cardOverhead.p50 <= 50 ? 'met at p50' : 'MISSED'}${one.cardOverhead.max <= 50 ? ' and at max' : ''}; ` +
      `burst p95 submission → card ${f0(b.card.p95)} ms vs 2 × one lead's p50 ${f0(one.card.p50)} ms = ${f0(2 * one.card.p50)} ms: ${b.card.p95 <= 2 * one.card.p50 ? 'met' : 'MISSED'} (${(b.card.p95 / one.card.p50).toFixed(1)}×)`);

    const outbox = db.prepare('SELECT kind, status, COUNT(*) AS n FROM outbox GROUP BY kind, status ORDER BY kind').all() as Array<{ kind: string; status: string; n: number }>;
    const counts = await fakes.ask<{ hubspot: number; pdl: number; anthropic: number; slack: Record<string, number> }>({ type: 'counts' });
    console.log(`  outbox at the end: ${outbox.map((r) => `${r.kind} ${r.status} ${r.n}`).join(', ')}; ` +
      `fakes saw HubSpot ${counts.hubspot}, PDL ${counts.pdl}, Anthropic ${counts.anthropic} requests, Slack ${JSON.stringify(counts.slack)}; bench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    db?.close();
    agent.destroy();
    await server?.stop();
    await fakes.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
