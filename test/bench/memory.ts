import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';

/**
 * `npm run bench -- memory`: RSS and heap after 10,000 leads through intake → pipeline → outbox on embedded
 * defaults (offline classifier, SQLite CRM, recorded Slack), and again after the next 10,000 in the same
 * process: the second round should not grow. Runs in a child `node --expose-gc` so the figures are read
 * after a full collection.
 *
 *   npm run bench -- memory [--leads 10000] [--rounds 2] [--warmup 1000] [--batch 500]
 */
export function benchMemory(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/memory.ts', ...argv], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`memory bench exited with ${code ?? signal}`))));
  });
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${(Math.abs(n) / MB).toFixed(1)} MB`;

const MESSAGES = [
  'Please send pricing for 25 seats and a demo; we are evaluating analytics vendors this quarter.',
  'How do I reset my password? The login page keeps failing for our account.',
  'Just researching analytics tools for a blog post comparison.',
  'We are a 300-person fintech and need SSO, audit logs and a security review before procurement.',
];

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      leads: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '1000' },
      batch: { type: 'string', default: '500' },
    },
  });
  const leads = Number(values.leads);
  const rounds = Number(values.rounds);
  const warmup = Number(values.warmup);
  const batch = Number(values.batch);
  for (const [k, v, max] of [['leads', leads, 100_000], ['rounds', rounds, 10], ['warmup', warmup, 100_000], ['batch', batch, 10_000]] as const) {
    if (!Number.isInteger(v) || v < (k === 'warmup' ? 0 : 1) || v > max) throw new Error(`--${k} must be a whole number up to ${max}`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'lt-memory-'));
  const dbPath = join(dir, 'memory.sqlite');
  // Embedded defaults: nothing but the database path; the website lookup is off so nothing leaves 127.0.0.1.
  const config = loadConfig({ DATABASE_PATH: dbPath, ENRICH_WEBSITE_FETCH: 'false' });
  const app = createApp({ config, loaded: loadPolicy('data/policy.json'), logger: silentLogger(), background: false });
  console.log(`memory: embedded defaults (offline classifier, SQLite CRM, recorded Slack), website lookup off, intake by acceptLocal, ` +
    `worker and dispatcher drained by hand in batches of ${batch}; ${gc ? 'full GC before each reading' : 'NO --expose-gc: readings without a forced GC'}`);

  let n = 0;
  let effects = 0;
  async function push(count: number, label: string): Promise<void> {
    const t0 = performance.now();
    for (let done = 0; done < count;) {
      const size = Math.min(batch, count - done);
      for (let i = 0; i < size; i++, n++) {
        app.intake.acceptLocal('generic', {
          event_id: `mem-${n}`,
          email: `lead${n}@firm${n}.example`,
          name: `Lead ${n}`,
          company: `Firm ${n}`,
          message: MESSAGES[n % MESSAGES.length],
        });
      }
      while ((await app.worker.drain(1000)) > 0);
      for (;;) {
        const ran = await app.dispatcher.runOnce();
        effects += ran;
        if (ran === 0) break;
      }
      done += size;
      if (done % 2000 === 0 || done === count) {
        const s = (performance.now() - t0) / 1000;
        console.log(`  ${label}: ${done}/${count} leads in ${s.toFixed(1)} s (${(done / s).toFixed(0)} leads/s), rss ${mb(process.memoryUsage.rss())}`);
      }
    }
  }

  interface Reading { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }
  async function read(label: string): Promise<Reading> {
    if (gc) {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
    }
    const m = process.memoryUsage();
    const counts = app.db.prepare(`SELECT (SELECT COUNT(*) FROM leads) AS leads, (SELECT COUNT(*) FROM outbox) AS outbox,
      (SELECT COUNT(*) FROM outbox WHERE status != 'done') AS outbox_not_done, (SELECT COUNT(*) FROM audit_log) AS audit`).get() as Record<string, number>;
    const file = statSync(dbPath).size + (() => { try { return statSync(`${dbPath}-wal`).size; } catch { return 0; } })();
    console.log(`${label}: rss ${mb(m.rss)}, heapUsed ${mb(m.heapUsed)} (heapTotal ${mb(m.heapTotal)}), external ${mb(m.external)}, arrayBuffers ${mb(m.arrayBuffers)}; ` +
      `store: ${counts.leads} leads, ${counts.outbox} effects (${counts.outbox_not_done} not done), ${counts.audit} audit rows, database ${mb(file)}`);
    return m;
  }

  try {
    const base = await read('after start-up');
    if (warmup > 0) await push(warmup, 'warm-up');
    const readings: Reading[] = [await read(`after ${warmup} warm-up leads`)];
    for (let r = 1; r <= rounds; r++) {
      await push(leads, `round ${r}`);
      readings.push(await read(`after round ${r} (${leads} more leads, ${n} in all)`));
    }
    const line = (a: Reading, b: Reading) => `rss ${signed(b.rss - a.rss)}, heapUsed ${signed(b.heapUsed - a.heapUsed)}, external ${signed(b.external - a.external)}`;
    for (let r = 1; r <= rounds; r++) console.log(`growth over round ${r}: ${line(readings[r - 1]!, readings[r]!)}`);
    console.log(`growth since start-up: ${line(base, readings.at(-1)!)}; ${n} leads, ${effects} outbox effects dispatched in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run(process.argv.slice(2));
