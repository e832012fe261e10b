import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { spendTodayUsd, utcDay, withinBudget } from '../../src/classify/budget.ts';
import { createOfflineClassifier } from '../../src/classify/index.ts';
import { decide } from '../../src/policy/decide.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { registerStoreGauges } from '../../src/observability/storeGauges.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { basePolicy, buyer, input, result } from '../policy/fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T10:00:00Z');

function row(db: Db, at: number, stage: string, cost: number | null): void {
  db.prepare('INSERT INTO audit_log (at, lead_id, correlation_id, stage, event, cost_usd) VALUES (?, ?, ?, ?, ?, ?)').run(new Date(at).toISOString(), 'l', 'c', stage, 'seeded', cost);
}

describe('the day\'s model spend', () => {
  it('sums classify rows since 00:00 UTC, and each later read adds only the new rows', () => {
    const db = openDb(':memory:');
    row(db, NOW - DAY, 'classify', 5);                       // yesterday
    row(db, Date.parse('2026-11-30T23:59:59.999Z'), 'classify', 1);
    row(db, Date.parse('2026-12-01T00:00:00.000Z'), 'classify', 0.25);
    row(db, NOW - 1000, 'enrich', 9);                        // not a model call
    row(db, NOW - 500, 'classify', null);                    // the offline classifier
    expect(spendTodayUsd(db, NOW)).toBeCloseTo(0.25, 10);
    row(db, NOW, 'classify', 0.5);
    expect(spendTodayUsd(db, NOW)).toBeCloseTo(0.75, 10);
    expect(spendTodayUsd(db, NOW + DAY)).toBe(0);            // a new UTC day starts from nothing
    row(db, NOW + DAY, 'classify', 0.125);
    expect(spendTodayUsd(db, NOW + DAY)).toBeCloseTo(0.125, 10);
    expect(utcDay(NOW)).toBe('2026-12-01');
  });

  it('is the gauge lead_triage_classifier_spend_today_usd', async () => {
    const db = openDb(':memory:');
    const metrics = createMetrics();
    registerStoreGauges(metrics, db);
    row(db, Date.now(), 'classify', 0.5);
    row(db, Date.now(), 'classify', 0.25);
    expect(await metrics.registry.getSingleMetricAsString('lead_triage_classifier_spend_today_usd')).toMatch(/^lead_triage_classifier_spend_today_usd 0\.75$/m);
  });
});

describe('decide over budget', () => {
  it('holds the embedded classifier\'s reading for a person, in plain words; approving it routes', () => {
    const over = input({ classification: result(buyer, { fallback_reason: 'budget_exhausted' }) });
    const d = decide(over);
    expect(d).toMatchObject({ final_action: 'human_review', needs_review: true, actions: [] });
    expect(d.rules[0]).toEqual({ rule: 'budget_exhausted', reason: "today's model budget is spent: read by the embedded offline classifier and held for a person" });
    expect(decide({ ...over, human: { kind: 'approve', user_id: 'U0APPROVE1', reason: null, override: null } }).final_action).toBe('auto_route_sales');
    expect(decide(input({ classification: result(buyer) })).final_action).toBe('auto_route_sales');
  });

  it('without a budget, or without a model, the classifier is used as it is', () => {
    const db = openDb(':memory:');
    const offline = createOfflineClassifier();
    const claude = { ...offline, name: 'claude' as const };
    const deps = { db, audit: new AuditLog(db), policy: basePolicy };
    expect(withinBudget(claude, offline, deps)).toBe(claude);
    const budgeted = { ...basePolicy, classifier: { ...basePolicy.classifier, daily_budget_usd: 0 } };
    expect(withinBudget(offline, offline, { ...deps, policy: budgeted })).toBe(offline);
    expect(withinBudget(claude, offline, { ...deps, policy: budgeted })).not.toBe(claude);
  });
});

let t: TestApp | undefined;
afterEach(async () => { await t?.stop(); t = undefined; });

const claudeBuyer = { ...buyer, fit_score: 70, summary_for_slack: 'A SaaS team wants a demo.' };
const submission = (i: number) => ({
  event_id: `evt-budget-${i}-${randomUUID()}`, email: `lead${i}@saasfirm${i}.example`, name: `Lead ${i}`, company: `SaaS Firm ${i}`,
  message: `We are a 120-person SaaS company evaluating product analytics; please send a demo and pricing for ${20 + i} seats.`,
});
const withBudget = (usd: number) => (text: string) => text.replace('"classifier": {', `"classifier": { "daily_budget_usd": ${usd},`);

async function triageStats(app: TestApp): Promise<string> {
  const before = app.slack!.callsTo('response_url').length;
  const body = new URLSearchParams({
    token: 'legacy', team_id: 'T0FAKE001', team_domain: 'fake', channel_id: 'C0SALES001', channel_name: 'sales', user_id: 'U0APPROVE1', user_name: 'a',
    command: '/triage', text: 'stats', api_app_id: 'A0APP0001', response_url: `${app.slack!.url}/respond/${randomUUID()}`, trigger_id: `trig-${randomUUID()}`,
  }).toString();
  expect((await app.slackPost(body)).status).toBe(200);
  for (const deadline = Date.now() + 10_000; !app.slack!.callsTo('response_url')[before];) {
    if (Date.now() > deadline) throw new Error('no /triage answer');
    await new Promise((r) => setTimeout(r, 20));
  }
  return JSON.stringify(app.slack!.callsTo('response_url')[before]!.body);
}

describe('daily budget through the pipeline (real SDK against the fake)', () => {
  it('first leads go to Claude; once the day\'s spend reaches the budget later leads are read offline, held, audited, and the review channel hears once', async () => {
    // The fake answers 900 tokens in and 150 out: $0.00165 a lead at Haiku 4.5's prices; two leads reach $0.003.
    t = await startTestApp({ anthropic: true, slack: true, policy: withBudget(0.003) });
    t.anthropic!.setDefault({ tool: claudeBuyer });
    const ids: string[] = [];
    for (const i of [0, 1]) {
      ids.push((await t.deliver('generic', submission(i))).body.lead_id as string);
      await t.settle();
    }
    // Many leads at once after the budget is spent: each is held, the notice is queued once.
    for (const i of [2, 3, 4, 5, 6]) ids.push((await t.deliver('generic', submission(i))).body.lead_id as string);
    await t.settle();

    const { db, audit } = t.app;
    expect(t.anthropic!.requests).toHaveLength(2);
    const decisions = ids.map((id) => db.prepare('SELECT classifier, final_action, prompt_version FROM decisions WHERE lead_id = ?').get(id));
    expect(decisions.slice(0, 2)).toEqual(Array(2).fill({ classifier: 'claude', final_action: 'auto_route_sales', prompt_version: 'classify.v2' }));
    expect(decisions.slice(2)).toEqual(Array(5).fill({ classifier: 'offline', final_action: 'human_review', prompt_version: 'offline-v2' }));
    for (const id of ids.slice(2)) {
      const trail = audit.trail(id);
      expect(trail.filter((r) => r.event === 'budget_exhausted')).toHaveLength(1);
      expect(trail.find((r) => r.event === 'budget_exhausted')!.reason).toMatch(/^today's model spend \$0\.0033 reached the daily budget \$0\.0030 \(UTC day \d{4}-\d{2}-\d{2}\)/);
      expect(trail.find((r) => r.event === 'classified')).toMatchObject({ actor: 'offline', reason: 'fallback: budget_exhausted' });
      const rules = JSON.parse(db.prepare('SELECT decision_json FROM decisions WHERE lead_id = ?').pluck().get(id) as string).rules as { rule: string }[];
      expect(rules.map((r) => r.rule)).toContain('budget_exhausted');
    }
    for (const id of ids.slice(0, 2)) expect(audit.trail(id).some((r) => r.event === 'budget_exhausted')).toBe(false);

    const day = utcDay(Date.now());
    expect(db.prepare("SELECT dedupe_key, status FROM outbox WHERE kind = 'slack_notice'").all()).toEqual([{ dedupe_key: `slack_notice:budget_exhausted:${day}`, status: 'done' }]);
    const told = t.slack!.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes('classifier budget is spent'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body.channel).toBe('C0REVIEW01');

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^lead_triage_classifier_spend_today_usd 0\.0033$/m);
    const stats = await triageStats(t);
    expect(stats).toContain('*Classifier spend today (UTC)*: $0.0033, of $0.0030 daily budget: spent, new leads are read offline and held for review');
  });

  it('no budget set: every lead goes to Claude as before, and nothing is held for it', async () => {
    t = await startTestApp({ anthropic: true, slack: true });
    t.anthropic!.setDefault({ tool: claudeBuyer });
    for (const i of [0, 1, 2, 3]) await t.deliver('generic', submission(i));
    await t.settle();
    expect(t.anthropic!.requests).toHaveLength(4);
    const { db } = t.app;
    expect(db.prepare("SELECT COUNT(*) FROM decisions WHERE classifier = 'claude' AND final_action = 'auto_route_sales'").pluck().get()).toBe(4);
    expect(db.prepare("SELECT COUNT(*) FROM audit_log WHERE event = 'budget_exhausted'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'slack_notice'").pluck().get()).toBe(0);
    expect(await triageStats(t)).toContain('*Classifier spend today (UTC)*: $0.0066, no daily budget set');
  });
});
