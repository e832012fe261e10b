import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, runAuditExport } from '../../src/cli/commands/audit.ts';
import { loadConfig } from '../../src/config/env.ts';
import { decide } from '../../src/policy/decide.ts';
import { claimLead } from '../../src/review/claim.ts';
import { resolveReview } from '../../src/review/resolve.ts';
import { AUDIT_EXPORT_COLUMNS, AUDIT_EXPORT_PERSONAL_COLUMNS, csvField, writeAuditExport } from '../../src/store/auditExport.ts';
import { openReadOnly } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const BUYER = {
  event_id: 'ax-1', email: 'wilhelmina@quastenberg-labs.example', name: 'Wilhelmina Quastenberg', company: 'Quastenberg Labs',
  message: 'Need pricing for 60 seats with SSO and a SOC 2 report for our quokka observatory. We decide by end of month.',
};
const PITCH = {
  event_id: 'ax-2', email: 'bartholomew@linkfarm.example', name: 'Bartholomew Snell',
  message: 'We offer SEO services and link building for your website at great prices, reply for a quote, "cheap", really.',
};
// The model's reading names the person, their address and their words, as a real summary does.
const BUYER_READING = {
  intent: 'buying', fit_score: 86, fit_reasoning: `${BUYER.company} asks for pricing for 60 seats with SSO; contact ${BUYER.email}.`, confidence: 0.92,
  recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: `${BUYER.name} wants 60 seats for their quokka observatory.`,
};
const PITCH_READING = {
  intent: 'spam', fit_score: 5, fit_reasoning: 'Unsolicited SEO and link building pitch.', confidence: 0.95,
  recommended_action: 'auto_reject_spam', assigned_to: null, priority: 'low', summary_for_slack: 'SEO pitch.',
};
// What a person typed: a reviewer's reason on the review card.
const REVIEWER_REASON = 'Called Bartholomew, he confirmed, it is, "spam"';
/**
 * The submitter's and the reviewer's text as the trail holds it (the model's summary and reasoning, the phrases
 * precheck and the rules quote, the reviewer's reason) and Slack user ids: none may leave without --include-personal.
 */
const PERSONAL = [BUYER.email, BUYER.name, 'Quastenberg', 'quokka observatory', 'link building', 'Bartholomew', 'U0SALES002', 'U0APPROVE1'];

let t: TestApp;
let ids: Record<string, string>;
const NOW = Date.now();
const OLD_AT = new Date(NOW - 40 * 86_400_000).toISOString();

beforeAll(async () => {
  t = await startTestApp({ anthropic: true });
  ids = {};
  for (const [s, reading] of [[BUYER, BUYER_READING], [PITCH, PITCH_READING]] as const) {
    t.anthropic!.script({ tool: reading, usage: { input_tokens: 1200, output_tokens: 180 } });
    ids[s.email] = (await t.deliver('generic', s)).body.lead_id as string;
    await t.settle();
  }
  const db = t.app.db;
  claimLead(db, t.app.audit, ids[BUYER.email]!, 'U0SALES002', t.clock.now());
  const pending = db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(ids[PITCH.email]) as string;
  resolveReview({ db, audit: t.app.audit, leads: t.app.leads, loaded: t.loaded, decide, clock: t.clock.now }, { decisionId: pending, kind: 'reject', userId: 'U0APPROVE1', reason: REVIEWER_REASON });
  await t.settle();
  // A row from before the default 30-day window (the log refuses UPDATE, not INSERT).
  db.prepare(`INSERT INTO audit_log (at, lead_id, correlation_id, stage, event, actor, reason, output_json)
    VALUES (?, ?, 'old-corr', 'job', 'reprocess_requested', 'U0SALES002', 'an old row', '{"job_id": 1}')`).run(OLD_AT, ids[BUYER.email]);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

interface Run { code: number; text: string; out: string[]; err: string[]; writes: number }

/** `audit export` in-process against the test app's database; rows collected from the stream it writes to. */
async function exportRun(args: string[], now = NOW): Promise<Run> {
  const chunks: string[] = [];
  const stdout = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(chunk.toString()); cb(); } });
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({ DATABASE_PATH: t.env.DATABASE_PATH!, ENRICH_WEBSITE_FETCH: 'false' });
  const code = await runAuditExport(args, { config, out: (l) => out.push(l), err: (l) => err.push(l) }, { now, stdout });
  return { code, text: chunks.join(''), out, err, writes: chunks.length };
}

const ndjson = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string | number | null>);
const countSince = (iso: string | null) =>
  t.app.db.prepare('SELECT COUNT(*) FROM audit_log WHERE ? IS NULL OR at >= ?').pluck().get(iso, iso) as number;

/**
 * An RFC 4180 reader, written apart from the exporter's quoting: quoted fields may hold commas, CRLF and doubled
 * quotes. An unquoted empty field reads as null, a quoted one as '' (the NULL/empty distinction COPY makes).
 */
function parseCsv(text: string): Array<Array<string | null>> {
  const records: Array<Array<string | null>> = [];
  let record: Array<string | null> = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      field = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      const raw = text.slice(i, j);
      if (raw.includes('"')) throw new Error(`bare quote in an unquoted field: ${raw}`);
      field = raw === '' ? null : raw;
      i = j;
    }
    record.push(field);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) { i += 2; records.push(record); record = []; continue; }
    if (i >= text.length) { records.push(record); break; }
    throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i} (records end with CRLF)`);
  }
  return records;
}

describe('lead-triage audit export', () => {
  it('ndjson by default: every audit row of the last 30 days, in id order, the documented columns in order', async () => {
    const r = await exportRun([]);
    expect(r.code).toBe(0);
    const rows = ndjson(r.text);
    const since = new Date(NOW - 30 * 86_400_000).toISOString();
    expect(rows.length).toBe(countSince(since));
    expect(rows.length).toBe(countSince(null) - 1);
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) expect(Object.keys(row)).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(rows.map((x) => x.id)).toEqual([...rows.map((x) => x.id as number)].sort((a, b) => a - b));
    expect(r.err).toEqual([`lead-triage audit export: ${rows.length} rows, since ${since} (30d)`]);
    expect(r.out).toEqual([]);

    // Figures the warehouse wants, as numbers and ids.
    const classified = rows.find((x) => x.event === 'classified' && x.lead_id === ids[BUYER.email])!;
    expect(classified).toMatchObject({ stage: 'classify', actor: 'claude', policy_hash: t.loaded.hash, tokens_in: 1200, tokens_out: 180, latency_ms: expect.any(Number) });
    expect(classified.prompt_version).toMatch(/^classify\./);
    expect(classified.cost_usd).toBeGreaterThan(0);
    expect(classified.input_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(classified.correlation_id).toBe(t.app.leads.get(ids[BUYER.email]!)!.correlation_id);
  });

  it('rules: the ids that fired on precheck and decision rows, as their decisions hold them, without their reasons', async () => {
    const rows = ndjson((await exportRun([])).text);
    const db = t.app.db;
    const committed = rows.filter((x) => x.event === 'decision_committed');
    expect(committed.length).toBeGreaterThanOrEqual(3); // two leads, and the reviewer's rejection
    for (const row of committed) {
      const opened = t.app.audit.trail(row.lead_id as string).find((r) => r.id === row.id)!;
      const decisionId = (JSON.parse(opened.output_json!) as { decision_id: string }).decision_id;
      const fired = (JSON.parse(db.prepare('SELECT decision_json FROM decisions WHERE id = ?').pluck().get(decisionId) as string).rules as Array<{ rule: string }>).map((h) => h.rule);
      expect(row.rules).toBe(fired.join(','));
    }
    const rejection = committed.find((x) => x.lead_id === ids[PITCH.email] && String(x.rules).includes('human_rejected'));
    expect(rejection).toMatchObject({ actor: 'person', decision: expect.any(String) });
    for (const row of rows.filter((x) => x.event === 'precheck')) expect(row.rules).toMatch(/^[a-z_,]*$/);
    for (const row of rows.filter((x) => !['precheck', 'decision_committed'].includes(x.event as string))) expect(row.rules).toBeNull();
  });

  it('leaves out every personal field unless asked: no email, name, message, reviewer text or Slack user id', async () => {
    const plain = await exportRun(['--since', 'all']);
    for (const text of PERSONAL) expect(plain.text).not.toContain(text);
    expect(plain.text).not.toContain('"reason"');
    expect(plain.text).not.toContain('output_json');
    const claims = ndjson(plain.text).filter((x) => x.event === 'lead_claimed');
    expect(claims.map((x) => x.actor)).toEqual(['person']);

    const full = await exportRun(['--since', 'all', '--include-personal']);
    for (const text of PERSONAL) expect(full.text).toContain(text);
    const rows = ndjson(full.text);
    for (const row of rows) expect(Object.keys(row)).toEqual([...AUDIT_EXPORT_COLUMNS, ...AUDIT_EXPORT_PERSONAL_COLUMNS]);
    expect(rows.find((x) => x.event === 'lead_claimed')!.actor).toBe('U0SALES002');
    expect(rows.find((x) => x.event === 'review_reject')).toMatchObject({ actor: 'U0APPROVE1', reason: REVIEWER_REASON });
    // The same rows, the same values, two columns more.
    const without = ndjson(plain.text);
    expect(rows.length).toBe(without.length);
    rows.forEach((row, i) => {
      const { reason: _r, output_json: _o, ...rest } = row;
      expect({ ...rest, actor: without[i]!.actor }).toEqual(without[i]);
    });
  });

  it('csv: a header row, RFC 4180 quoting, and values that read back as the ndjson export has them', async () => {
    for (const personal of [false, true]) {
      const flags = ['--since', 'all', ...(personal ? ['--include-personal'] : [])];
      const [csv, json] = await Promise.all([exportRun([...flags, '--format', 'csv']), exportRun(flags)]);
      expect(csv.code).toBe(0);
      expect(csv.text.endsWith('\r\n')).toBe(true);
      const [header, ...records] = parseCsv(csv.text);
      const columns = personal ? [...AUDIT_EXPORT_COLUMNS, ...AUDIT_EXPORT_PERSONAL_COLUMNS] : [...AUDIT_EXPORT_COLUMNS];
      expect(header).toEqual(columns);
      const rows = ndjson(json.text);
      expect(records.length).toBe(rows.length);
      records.forEach((rec, i) => {
        expect(rec.length).toBe(columns.length);
        expect(Object.fromEntries(columns.map((c, j) => [c, rec[j]]))).toEqual(
          Object.fromEntries(columns.map((c) => [c, rows[i]![c] === null ? null : String(rows[i]![c])])),
        );
      });
      if (personal) {
        // Commas and quotes inside a field survive the round trip.
        expect(records.some((rec) => rec.includes(REVIEWER_REASON))).toBe(true);
        expect(csv.text).toContain(`"${REVIEWER_REASON.replaceAll('"', '""')}"`);
      }
    }
    expect([null, '', 'a', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 0.5, 12].map(csvField))
      .toEqual(['', '""', 'a', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', '0.5', '12']);
    // Not a spreadsheet: a cell starting with = is written as it is.
    expect(csvField('=SUM(A1)')).toBe('=SUM(A1)');
  });

  it('--since: 30d by default, any duration, or all', async () => {
    const all = ndjson((await exportRun(['--since', 'all'])).text);
    expect(all.length).toBe(countSince(null));
    expect(all.find((x) => x.at === OLD_AT)).toMatchObject({ event: 'reprocess_requested', correlation_id: 'old-corr', actor: 'person' });
    expect(ndjson((await exportRun(['--since', '41d'])).text).length).toBe(all.length);
    expect(ndjson((await exportRun(['--since', '30d'])).text).length).toBe(all.length - 1);
    // Counted back from now: an hour later than the last row, a 1-minute window is empty.
    const later = await exportRun(['--since', '1m'], NOW + 3_600_000);
    expect(later).toMatchObject({ code: 0, text: '' });
    expect(later.err[0]).toMatch(/^lead-triage audit export: 0 rows, since \S+ \(1m\)$/);
    const csvEmpty = await exportRun(['--since', '1m', '--format', 'csv'], NOW + 3_600_000);
    expect(csvEmpty.text).toBe(`${AUDIT_EXPORT_COLUMNS.join(',')}\r\n`);
  });

  it('mistakes on the command line exit 2 naming the value, before reading anything', async () => {
    const usage = 'usage: lead-triage audit export [--since 30d|all] [--format ndjson|csv] [--include-personal] [--out <file>]  (lead-triage audit export --help for more)';
    expect(await exportRun(['--format', 'xml'])).toMatchObject({ code: 2, text: '', err: ['lead-triage audit export: --format "xml" is not one of ndjson, csv', usage] });
    expect(await exportRun(['--since', '30x'])).toMatchObject({ code: 2, text: '', err: ['lead-triage audit export: --since "30x" is not a duration like "30d", "12h" or "90m", or all', usage] });
    expect(await exportRun(['--since', '-5d'])).toMatchObject({ code: 2, err: ['lead-triage audit export: --since needs a value (for one starting with a dash, write --since=-…)', usage] });
    expect(await exportRun(['--personal'])).toMatchObject({ code: 2, err: ['lead-triage audit export: unknown option --personal', usage] });
    expect(await exportRun(['ld_x'])).toMatchObject({ code: 2, err: ['lead-triage audit export: unexpected argument "ld_x"', usage] });
    // Through the audit command as main calls it.
    const err: string[] = [];
    const config = loadConfig({ DATABASE_PATH: t.env.DATABASE_PATH!, ENRICH_WEBSITE_FETCH: 'false' });
    expect(await audit.run(['export', '--format', 'parquet'], { config, out: () => {}, err: (l) => err.push(l) })).toBe(2);
    expect(err[0]).toBe('lead-triage audit export: --format "parquet" is not one of ndjson, csv');
    const missing = join(t.dir, 'nope', 'db.sqlite');
    const noDb: string[] = [];
    expect(await runAuditExport([], { config: loadConfig({ DATABASE_PATH: missing }), out: () => {}, err: (l) => noDb.push(l) })).toBe(1);
    expect(noDb[0]).toMatch(/^lead-triage audit export: no database at /);
    expect(existsSync(missing)).toBe(false);
  });

  it('--out writes the file whole (no partial left beside it) and nothing to stdout', async () => {
    const file = join(t.dir, 'audit.csv');
    const r = await exportRun(['--since', 'all', '--format', 'csv', '--out', file]);
    expect(r).toMatchObject({ code: 0, text: '' });
    expect(r.err[0]).toMatch(new RegExp(`^lead-triage audit export: \\d+ rows, all time, written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(readFileSync(file, 'utf8')).toBe((await exportRun(['--since', 'all', '--format', 'csv'])).text);
    expect(readdirSync(t.dir).filter((f) => f.includes('.partial'))).toEqual([]);
    const bad = await exportRun(['--out', join(t.dir, 'no-such-dir', 'x.ndjson')]);
    expect(bad).toMatchObject({ code: 1, err: [expect.stringMatching(/cannot write .*x\.ndjson \(ENOENT\)$/)] });
  });

  it('streams: waits for a slow destination to drain, in many writes, and loses nothing', async () => {
    const expected = (await exportRun(['--since', 'all', '--include-personal'])).text;
    const chunks: string[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) { chunks.push(chunk.toString()); setImmediate(cb); },
    });
    slow.on('drain', () => { waits++; });
    const db = openReadOnly(t.env.DATABASE_PATH!);
    try {
      const n = await writeAuditExport(db, { since: null, includePersonal: true, format: 'ndjson', batchBytes: 512 }, slow);
      expect(n).toBe(countSince(null));
    } finally {
      db.close();
    }
    expect(chunks.join('')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(5);
    expect(waits).toBeGreaterThan(5);
  });

  it('as an operator runs it: rows on stdout, the count on stderr, and `audit export --help` on stdout', async () => {
    const cli = (args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/lead-triage.js', ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: t.env.DATABASE_PATH!, ENRICH_WEBSITE_FETCH: 'false' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('close', (code) => resolve({ code, out, err }));
    });
    const [run, help] = await Promise.all([cli(['audit', 'export', '--since', 'all']), cli(['audit', 'export', '--help'])]);
    expect(run.code).toBe(0);
    expect(ndjson(run.out).length).toBe(countSince(null));
    expect(run.err).toMatch(/^lead-triage audit export: \d+ rows, all time\n$/);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toContain("  audit export      every lead's audit rows, streamed for a warehouse");
    expect(help.out).toContain('  --include-personal    add reason and output_json');
  }, 60_000);
});
