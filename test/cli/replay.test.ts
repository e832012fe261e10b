import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/cli/commands/audit.ts';
import { checkConfig } from '../../src/cli/commands/check-config.ts';
import { replay } from '../../src/cli/commands/replay.ts';
import type { Command } from '../../src/cli/command.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCommand } from '../helpers/command.ts';
import { rowCounts, storeLeadSet, tableDigests, type StoredSet } from '../policy/replaySet.ts';

let set: StoredSet;
beforeAll(async () => {
  set = await storeLeadSet();
}, 60_000);
afterAll(async () => {
  await set?.t.stop();
});

/** A command run in-process against the stored set's database, with what it printed. */
const run = (command: Command, args: string[], env: Record<string, string> = {}) =>
  runCommand(command, args, { DATABASE_PATH: set.t.env.DATABASE_PATH!, POLICY_PATH: set.t.loaded.path, ENRICH_WEBSITE_FETCH: 'false', ...env });

describe('lead-triage replay', () => {
  it('prints the diff of a candidate and keeps its summary as the one row it writes', async () => {
    const db = set.t.app.db;
    const digests = tableDigests(db);
    const r = await run(replay, ['--policy', set.candidatePath]);
    expect(r).toMatchObject({ code: 0, err: [] });
    const candidate = loadPolicy(set.candidatePath);
    expect(r.out[0]).toMatch(new RegExp(`^replay of ${set.candidatePath} \\(version 2026-11-example, hash ${candidate.hash}\\) over 6 leads since 30d \\(\\S+\\): 4 changed$`));
    const id = (email: string) => set.ids[email];
    expect(r.out.slice(1)).toEqual([
      'no side effects: the store was opened read-only; the one write is this summary, kept for /triage policy',
      `decided before by: policy ${set.t.loaded.hash} (6)`,
      'skipped 1 lead:',
      expect.stringMatching(/^ {2}1 {2}the stored classification was made under an older schema \(it does not parse now\); e\.g\. classification\.intent: Invalid option/),
      "2 leads a person resolved: the first automatic decision is replayed, the person's outcome is shown and not re-decided",
      '',
      'final actions (before → after):',
      '  auto_route_sales    3 → 0  (-3)',
      '  auto_route_support  1 → 0  (-1)',
      '  human_review        1 → 5  (+4)',
      '  auto_reject_spam    1 → 1  (±0)',
      'review volume: 2 → 6 (+4)',
      'routes: no change',
      'owners:',
      '  Ana (U0SALES001) → not routed: 3',
      '  Chidi (U0SUPPORT1) → not routed: 1',
      'shares by pool (before → after):',
      '  ae: Ana 100% (3) → 0% (0)',
      '  support: Chidi 100% (1) → 0% (0)',
      'rules newly firing:',
      '  below_confidence_floor: 4 leads',
      '  disqualifier: 1 lead',
      'rules no longer firing: none',
      '',
      'changed leads (4):',
      `  ${id('tom.becker@helixbio.com')}  tom.becker@helixbio.com  auto_route_sales → human_review  owner Ana (U0SALES001) → not routed`,
      '      + below_confidence_floor: confidence 0.85 below the floor 0.9',
      "      a person's outcome stands: claimed by U0SALES002 (now auto_route_sales)",
      `  ${id('sara@northwind.io')}  sara@northwind.io  auto_route_sales → human_review  owner Ana (U0SALES001) → not routed`,
      '      + below_confidence_floor: confidence 0.85 below the floor 0.9',
      `  ${id('ops@acmecorp.example')}  ops@acmecorp.example  auto_route_support → human_review  owner Chidi (U0SUPPORT1) → not routed`,
      '      + below_confidence_floor: confidence 0.85 below the floor 0.9',
      `  ${id('lena@brightdata.example')}  lena@brightdata.example  auto_route_sales → human_review  owner Ana (U0SALES001) → not routed`,
      '      + disqualifier: disqualifier(s) in the submission: migrate',
      '      + below_confidence_floor: confidence 0.85 below the floor 0.9',
    ]);
    const after = tableDigests(db);
    expect(Object.keys(after).filter((t) => after[t] !== digests[t])).toEqual(['replays']);
    expect(db.prepare('SELECT candidate_hash, since, leads, changed FROM replays ORDER BY at DESC LIMIT 1').get())
      .toEqual({ candidate_hash: candidate.hash, since: '30d', leads: 6, changed: 4 });
  });

  it('--json emits the whole diff with the stored row id; --queue narrows it', async () => {
    const r = await run(replay, ['--policy', set.candidatePath, '--since', 'all', '--queue', 'sales', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out.join('\n'));
    expect(body).toMatchObject({ id: expect.stringMatching(/^rp_/), since: null, queue: 'sales', leads: 4, changed: 3, review: { before: 1, after: 4 } });
    expect(body.changed_leads.map((c: { email: string }) => c.email)).toEqual(['tom.becker@helixbio.com', 'sara@northwind.io', 'lena@brightdata.example']);
    const stored = set.t.app.db.prepare('SELECT since, leads, changed, summary_json FROM replays WHERE id = ?').get(body.id) as { summary_json: string };
    expect(stored).toMatchObject({ since: null, leads: 4, changed: 3 });
    expect(JSON.parse(stored.summary_json)).toMatchObject({ queue: 'sales', changed_leads: body.changed_leads });
  });

  it('refuses a candidate that does not validate with the same line as check-config, exit 2, and writes nothing', async () => {
    const bad = join(set.t.dir, 'bad-candidate.json');
    writeFileSync(bad, readFileSync(set.candidatePath, 'utf8').replace('"confidence_floor": 0.9', '"confidence_floor": 1.5'));
    const before = rowCounts(set.t.app.db, 'replays');
    const r = await run(replay, ['--policy', bad]);
    expect(r).toEqual({ code: 2, out: [], err: [`lead-triage replay: ${bad}: thresholds.confidence_floor: Too big: expected number to be <=1`] });
    const checked = await run(checkConfig, [], { POLICY_PATH: bad }).catch((e: Error) => ({ thrown: e.message }));
    expect(checked).toEqual({ thrown: `${bad}: thresholds.confidence_floor: Too big: expected number to be <=1` });
    expect(rowCounts(set.t.app.db, 'replays')).toEqual(before);
  });

  it('names a mistake on the command line, exit 2', async () => {
    const usage = `usage: lead-triage ${replay.usage}  (lead-triage replay --help for more)`;
    expect(await run(replay, [])).toEqual({ code: 2, out: [], err: ['lead-triage replay: missing --policy <candidate.json>', usage] });
    expect(await run(replay, ['--policy', join(set.t.dir, 'nope.json')])).toEqual({ code: 2, out: [], err: [`lead-triage replay: no candidate policy file ${join(set.t.dir, 'nope.json')}`] });
    expect((await run(replay, ['--policy', set.candidatePath, '--since', 'a month'])).err[0]).toBe('lead-triage replay: --since "a month" is not a duration like "12h" or "30d" (or all)');
    expect((await run(replay, ['--policy', set.candidatePath, '--queue', 'vip'])).err[0]).toBe('lead-triage replay: --queue "vip" is not one of sales, support, founder');
    expect((await run(replay, ['--policy', set.candidatePath, '--budget-usd', '2'])).err[0]).toBe('lead-triage replay: --budget-usd only applies with --reclassify');
    expect((await run(replay, ['--policy', set.candidatePath, '--reclassify'])).err[0]).toBe('lead-triage replay: --reclassify needs --budget-usd <n>: the most the model calls may cost');
    expect((await run(replay, ['--policy', set.candidatePath, '--reclassify', '--budget-usd', 'two'])).err[0]).toBe('lead-triage replay: --budget-usd "two" is not an amount of 0 or more');
  });
});

describe('lead-triage audit --policy', () => {
  it('prints, after the trail, the stored policy text behind each decision and what the offline classifier is', async () => {
    const lead = set.ids['sara@northwind.io']!;
    const plain = await run(audit, [lead]);
    const r = await run(audit, [lead, '--policy']);
    expect(r.code).toBe(0);
    expect(r.out.slice(0, plain.out.length)).toEqual(plain.out);
    const extra = r.out.slice(plain.out.length);
    expect(extra[0]).toBe('');
    expect(extra[1]).toMatch(new RegExp(`^policy ${set.t.loaded.hash} \\(decision v1\\): version 2026-11-example, from ${set.t.loaded.path}, first seen \\S+$`));
    const text = readFileSync(set.t.loaded.path, 'utf8').replace(/\n$/, '').split('\n').map((l) => `    ${l}`);
    expect(extra.slice(2, 2 + text.length)).toEqual(text);
    expect(extra.slice(2 + text.length)).toEqual(['prompt offline-v2 (decision v1): the embedded offline classifier: its rules are code, there is no prompt text']);
  });

  it('says when a policy that decided is not stored (decided before versions were recorded)', async () => {
    const db = set.t.app.db;
    const stored = db.prepare('SELECT * FROM policy_versions').all() as Array<Record<string, unknown>>;
    db.prepare('DELETE FROM policy_versions').run();
    try {
      const r = await run(audit, [set.ids['seo@linkfarm.example']!, '--policy']);
      expect(r.out.slice(r.out.indexOf('') + 1)).toEqual([
        `policy ${set.t.loaded.hash} (decisions v1, v2): not stored: decided before policy versions were recorded`,
        'prompt offline-v2 (decisions v1, v2): the embedded offline classifier: its rules are code, there is no prompt text',
      ]);
    } finally {
      const insert = db.prepare('INSERT INTO policy_versions (hash, kind, version, source, text, first_seen_at) VALUES (@hash, @kind, @version, @source, @text, @first_seen_at)');
      for (const row of stored) insert.run(row);
    }
  });
});

describe('lead-triage replay --reclassify, and the prompt behind model decisions', () => {
  let t: TestApp;
  const classification = {
    intent: 'buying', fit_score: 80, fit_reasoning: 'asks for pricing and a demo', confidence: 0.95,
    recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'medium', summary_for_slack: 'wants pricing',
  };
  beforeAll(async () => {
    t = await startTestApp({ anthropic: true });
    t.anthropic!.setDefault({ tool: classification });
    for (const [i, s] of (await import('../policy/replaySet.ts')).SUBMISSIONS.slice(0, 4).entries()) await t.deliver('generic', { ...s, event_id: `rc-${i}` });
    await t.settle();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  const runHere = async (command: Command, args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const config = loadConfig({ ...t.env });
    const code = await command.run(args, { config, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  it('classifies again through the configured model while the budget lasts, then stops cleanly and says so', async () => {
    const costs = t.app.db.prepare("SELECT json_extract(classification_json, '$.cost_usd') FROM decisions ORDER BY created_at").pluck().all() as number[];
    expect(costs).toHaveLength(4);
    const each = costs[0]!;
    expect(each).toBeGreaterThan(0);
    const calls = t.anthropic!.requests.length;
    const digests = tableDigests(t.app.db);
    // Room for two calls and a half: the third would pass the budget, so it is never made.
    const r = await runHere(replay, ['--policy', t.loaded.path, '--reclassify', '--budget-usd', String(each * 2.5), '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out.join('\n'));
    expect(body.reclassify).toEqual({ budget_usd: each * 2.5, spent_usd: each * 2, reclassified: 2, stopped_by_budget: true, not_replayed: 2 });
    expect(body.leads).toBe(2);
    expect(t.anthropic!.requests.length - calls).toBe(2);
    const after = tableDigests(t.app.db);
    expect(Object.keys(after).filter((k) => after[k] !== digests[k])).toEqual(['replays']);

    const text = await runHere(replay, ['--policy', t.loaded.path, '--reclassify', '--budget-usd', String(each * 2.5)]);
    expect(text.out).toContain(`re-classified 2 leads for $${(each * 2).toFixed(4)} of the $${(each * 2.5).toFixed(4)} budget; the budget stopped it: 2 leads not replayed`);
  });

  it('audit --policy prints the prompt version behind a model decision with its stored text', async () => {
    const lead = t.app.db.prepare('SELECT lead_id FROM decisions ORDER BY created_at LIMIT 1').pluck().get() as string;
    const r = await runHere(audit, [lead, '--policy']);
    const header = r.out.findIndex((l) => l.startsWith('prompt classify.v2'));
    expect(r.out[header]).toMatch(/^prompt classify\.v2 \(decision v1\): hash [0-9a-f]{16}, from prompts\/classify\.v2\.md \+ prompts\/classify\.v2\.examples\.json, first seen \S+$/);
    expect(r.out[header + 1]).toBe(`    ${readFileSync('prompts/classify.v2.md', 'utf8').split('\n')[0]}`);
    expect(r.out.slice(header)).toContain('    <!-- prompts/classify.v2.examples.json -->');
  });
});
