import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.ts';
import { recordReplay, runReplay } from '../../src/policy/replay/run.ts';
import { openDb, openReadOnly } from '../../src/store/db.ts';
import { OLD_SCHEMA, rowCounts, storeLeadSet, tableDigests, type StoredSet } from './replaySet.ts';

let set: StoredSet;
beforeAll(async () => {
  set = await storeLeadSet();
}, 60_000);
afterAll(async () => {
  await set?.t.stop();
});

const dbPath = () => set.t.env.DATABASE_PATH!;

async function replayWith(path: string, opts: Partial<Parameters<typeof runReplay>[1]> = {}) {
  const reader = openReadOnly(dbPath());
  try {
    return await runReplay(reader, { candidate: loadPolicy(path), since: null, queue: null, reclassify: null, ...opts });
  } finally {
    reader.close();
  }
}

describe('policy replay over leads stored by the real pipeline', () => {
  it('diffs a stricter candidate: counts before → after, owners, shares, rules and the changed leads, exactly', async () => {
    const s = await replayWith(set.candidatePath);
    const id = (email: string) => set.ids[email]!;
    expect(s).toMatchObject({
      leads: 6,
      changed: 4,
      skipped: { total: 1, reasons: [{ reason: 'classification_schema', count: 1, example: expect.stringMatching(/^classification\.intent: /) }] },
      human_resolved: 2,
      final_actions: [
        { action: 'auto_route_sales', before: 3, after: 0 },
        { action: 'auto_route_support', before: 1, after: 0 },
        { action: 'human_review', before: 1, after: 5 },
        { action: 'auto_reject_spam', before: 1, after: 1 },
      ],
      // The pitch's rejection waits for approval either way (reject_lead requires it).
      review: { before: 2, after: 6 },
      routes: [],
      owners: [{ from: 'U0SALES001', to: 'not routed', count: 3 }, { from: 'U0SUPPORT1', to: 'not routed', count: 1 }],
      shares: [
        { pool: 'ae', members: [{ user: 'U0SALES001', name: 'Ana', before: 3, before_share: 100, after: 0, after_share: 0 }] },
        { pool: 'support', members: [{ user: 'U0SUPPORT1', name: 'Chidi', before: 1, before_share: 100, after: 0, after_share: 0 }] },
      ],
      rules: { newly_firing: [{ rule: 'below_confidence_floor', count: 4 }, { rule: 'disqualifier', count: 1 }], no_longer_firing: [] },
      reclassify: null,
    });
    expect(s.before_policies).toEqual([{ hash: set.t.loaded.hash, leads: 6 }]);
    const floor = { rule: 'below_confidence_floor', reason: 'confidence 0.85 below the floor 0.9' };
    expect(s.changed_leads).toEqual([
      {
        lead_id: id('tom.becker@helixbio.com'), email: 'tom.becker@helixbio.com', before: 'auto_route_sales', after: 'human_review',
        route: null, owner: { from: 'U0SALES001', to: 'not routed' }, rules_added: [floor], rules_removed: [],
        human: { kind: 'claimed', by: 'U0SALES002', final_action: 'auto_route_sales' }, notes: [],
      },
      {
        lead_id: id('sara@northwind.io'), email: 'sara@northwind.io', before: 'auto_route_sales', after: 'human_review',
        route: null, owner: { from: 'U0SALES001', to: 'not routed' }, rules_added: [floor], rules_removed: [], human: null, notes: [],
      },
      {
        lead_id: id('ops@acmecorp.example'), email: 'ops@acmecorp.example', before: 'auto_route_support', after: 'human_review',
        route: null, owner: { from: 'U0SUPPORT1', to: 'not routed' }, rules_added: [floor], rules_removed: [], human: null, notes: [],
      },
      {
        lead_id: id('lena@brightdata.example'), email: 'lena@brightdata.example', before: 'auto_route_sales', after: 'human_review',
        route: null, owner: { from: 'U0SALES001', to: 'not routed' },
        rules_added: [{ rule: 'disqualifier', reason: 'disqualifier(s) in the submission: migrate' }, floor], rules_removed: [], human: null, notes: [],
      },
    ]);
  });

  it('has no side effect: the reads cannot write, and only the replays row appears afterwards', async () => {
    const db = set.t.app.db;
    const digests = tableDigests(db);
    const effects = rowCounts(db, 'outbox', 'jobs', 'audit_log', 'decisions', 'assignments', 'pool_members_seen');
    const reader = openReadOnly(dbPath());
    const summary = await runReplay(reader, { candidate: loadPolicy(set.candidatePath), since: null, queue: null, reclassify: null });
    // SQLite itself refuses: whatever a code path under the replay tried, it could not have written.
    expect(() => reader.prepare("INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('x', 'y', 'z', 'w')").run()).toThrow(/readonly/);
    reader.close();
    expect(tableDigests(db)).toEqual(digests);

    const writer = openDb(dbPath());
    const id = recordReplay(writer, summary);
    writer.close();
    const after = tableDigests(db);
    const changedTables = Object.keys(after).filter((t) => after[t] !== digests[t]);
    expect(changedTables).toEqual(['replays']);
    expect(rowCounts(db, 'outbox', 'jobs', 'audit_log', 'decisions', 'assignments', 'pool_members_seen')).toEqual(effects);
    const row = db.prepare('SELECT * FROM replays WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ candidate_hash: loadPolicy(set.candidatePath).hash, since: null, leads: 6, changed: 4 });
    expect(JSON.parse(row.summary_json as string)).toMatchObject({ changed: 4, final_actions: summary.final_actions });
  });

  it('the active policy replayed over its own decisions changes nothing (owners included)', async () => {
    const s = await replayWith(set.t.loaded.path);
    expect(s).toMatchObject({ leads: 6, changed: 0, routes: [], owners: [], rules: { newly_firing: [], no_longer_firing: [] } });
    expect(s.final_actions.every((a) => a.before === a.after)).toBe(true);
  });

  it('--queue keeps the leads routed to that queue; --since leaves out older leads', async () => {
    const support = await replayWith(set.candidatePath, { queue: 'support' });
    expect(support).toMatchObject({ leads: 1, changed: 1, skipped: { total: 0 } });
    expect(support.changed_leads.map((c) => c.email)).toEqual(['ops@acmecorp.example']);

    const db = set.t.app.db;
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const sara = set.ids['sara@northwind.io']!;
    const created = db.prepare('SELECT created_at FROM leads WHERE id = ?').pluck().get(sara) as string;
    db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(old, sara);
    try {
      const recent = await replayWith(set.candidatePath, { since: { text: '30d', iso: new Date(Date.now() - 30 * 86_400_000).toISOString() } });
      expect(recent).toMatchObject({ leads: 5, changed: 3, since: '30d' });
      expect(recent.changed_leads.map((c) => c.email)).not.toContain('sara@northwind.io');
    } finally {
      db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(created, sara);
    }
  });

  it('a decision whose stored classification does not parse is skipped, counted and explained, not replayed', async () => {
    const s = await replayWith(set.candidatePath);
    expect(s.skipped.reasons).toEqual([{
      reason: 'classification_schema', count: 1,
      why: 'the stored classification was made under an older schema (it does not parse now)',
      example: expect.stringContaining('classification.intent'),
    }]);
    expect(s.changed_leads.map((c) => c.email)).not.toContain(OLD_SCHEMA.email);
  });
});
