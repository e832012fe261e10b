import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestPayloadSchema, queueDailyDigest } from '../../src/nudges/digest.ts';
import { shadowSummary } from '../../src/policy/shadowSummary.ts';
import { startHarness, type Harness } from '../slack/harness.ts';
import { MINUTE, dispatchSlack, mentionsIn, parsedText } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const rule = (name: string) => ({ rule: name, reason: `${name} fired` });

function lead(at: number): string {
  const id = randomUUID();
  h.db.prepare(`INSERT INTO leads (id, provider, email, email_domain, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'generic', ?, 'x.example', ?, '{}', 'routed', ?, ?, ?)`).run(id, `${id}@x.example`, id, `c-${id}`, iso(at), iso(at));
  return id;
}

/** A real decision and, beside it, what a shadow candidate decided. */
function shadowed(at: number, hash: string, live: { action: string; rules: string[] }, shadow: { action: string; rules: string[]; agrees: boolean }) {
  const leadId = lead(at);
  const id = randomUUID();
  const decision = { final_action: live.action, route: 'sales', priority: 'medium', actions: [], held_actions: [], rules: live.rules.map(rule), needs_review: false, policy_hash: 'live' };
  h.db.prepare(`INSERT INTO decisions (id, lead_id, version, final_action, status, decision_json, policy_hash, correlation_id, created_at)
    VALUES (?, ?, 1, ?, 'executed', ?, 'live', 'c', ?)`).run(id, leadId, live.action, JSON.stringify(decision), iso(at));
  const rules = shadow.rules.map(rule);
  h.db.prepare(`INSERT INTO shadow_decisions (decision_id, lead_id, shadow_hash, final_action, route, rules_json, decision_json, agrees, created_at)
    VALUES (?, ?, ?, ?, 'sales', ?, ?, ?, ?)`).run(id, leadId, hash, shadow.action, JSON.stringify(rules), JSON.stringify({ ...decision, final_action: shadow.action, rules }), shadow.agrees ? 1 : 0, at);
  return leadId;
}

/** A review a person resolved `ago` before now. */
function reviewed(now: number, ago: number, kind: 'approve' | 'edit' | 'reject') {
  const leadId = lead(now - ago - HOUR);
  const human = { kind, user_id: 'U0APPROVE1', reason: kind === 'approve' ? null : 'because', override: null };
  h.db.prepare(`INSERT INTO decisions (id, lead_id, version, final_action, status, decision_json, human_json, policy_hash, correlation_id, created_at, resolved_at, decided_by)
    VALUES (?, ?, 1, 'human_review', ?, '{}', ?, 'live', 'c', ?, ?, 'U0APPROVE1')`)
    .run(randomUUID(), leadId, kind === 'reject' ? 'rejected' : 'approved', JSON.stringify(human), iso(now - ago - HOUR), iso(now - ago));
}

describe('digest: shadow policy and overrides', () => {
  it('summarises the latest candidate over the window: disagreements and the rules that differ', () => {
    const now = Date.now();
    const floor = { action: 'human_review', rules: ['free_mail_cap', 'below_confidence_floor'], agrees: false };
    shadowed(now - 2 * HOUR, 'cand2', { action: 'auto_route_sales', rules: ['free_mail_cap'] }, floor);
    shadowed(now - 3 * HOUR, 'cand2', { action: 'auto_route_sales', rules: ['routing_rule'] }, { action: 'human_review', rules: ['below_confidence_floor', 'model_review'], agrees: false });
    shadowed(now - 4 * HOUR, 'cand2', { action: 'auto_route_sales', rules: ['x'] }, { action: 'auto_route_sales', rules: ['y'], agrees: true });
    shadowed(now - 5 * HOUR, 'cand1', { action: 'auto_route_sales', rules: [] }, floor); // an earlier candidate: not mixed in
    shadowed(now - 2 * DAY, 'cand2', { action: 'auto_route_sales', rules: [] }, floor); // outside the window
    expect(shadowSummary(h.db, DAY, now)).toEqual({
      hash: 'cand2', decided: 3, disagreements: 2, rate: 2 / 3,
      top_rules: [{ rule: 'below_confidence_floor', count: 2 }, { rule: 'model_review', count: 1 }, { rule: 'routing_rule', count: 1 }],
    });
    expect(shadowSummary(h.db, DAY, now, { hash: 'cand1' })).toMatchObject({ hash: 'cand1', decided: 1, disagreements: 1 });
    expect(shadowSummary(h.db, DAY, now, { top: 1 }).top_rules).toEqual([{ rule: 'below_confidence_floor', count: 2 }]);
  });

  it('posts the shadow line and the week\'s override rate, and stores them with the figures', async () => {
    const now = Date.now();
    shadowed(now - HOUR, 'a1b2c3d4e5f60718', { action: 'auto_route_sales', rules: [] }, { action: 'human_review', rules: ['below_confidence_floor'], agrees: false });
    shadowed(now - 2 * HOUR, 'a1b2c3d4e5f60718', { action: 'auto_route_sales', rules: [] }, { action: 'auto_route_sales', rules: [], agrees: true });
    reviewed(now, HOUR, 'edit');
    reviewed(now, 2 * DAY, 'reject');
    reviewed(now, 3 * DAY, 'approve');
    reviewed(now, 6 * DAY, 'approve');
    reviewed(now, 8 * DAY, 'reject'); // last week's
    expect(queueDailyDigest(h.db, h.audit, h.loaded.policy, now)).toBe(true);
    const payload = DigestPayloadSchema.parse(JSON.parse(h.db.prepare("SELECT payload_json FROM outbox WHERE kind = 'slack_daily_digest'").pluck().get() as string));
    expect(payload.figures.shadow).toEqual({ hash: 'a1b2c3d4e5f60718', decided: 2, disagreements: 1, top_rules: [{ rule: 'below_confidence_floor', count: 1 }] });
    expect(payload.figures.overrides).toEqual({ reviews: 4, overrides: 2 });

    await dispatchSlack(h);
    const body = h.fake.callsTo('chat.postMessage')[0]!.body;
    const text = parsedText(body);
    expect(text).toContain('Shadow policy `a1b2c3d4e5f60718`: disagreed on 1 of 2 leads (50%); top differing rules: below_confidence_floor (1)');
    expect(text).toContain('Overrides this week: 2 of 4 reviews (50%)');
    expect(String(body.text)).toContain('Overrides this week: 2 of 4 reviews (50%).');
    expect(mentionsIn(text)).toEqual([]);
  });

  it('says nothing of either when no shadow decided and nobody reviewed', async () => {
    const now = Date.now();
    shadowed(now - 2 * DAY, 'old', { action: 'auto_route_sales', rules: [] }, { action: 'human_review', rules: [], agrees: false });
    reviewed(now, 9 * DAY, 'edit');
    expect(queueDailyDigest(h.db, h.audit, h.loaded.policy, now)).toBe(true);
    const payload = JSON.parse(h.db.prepare("SELECT payload_json FROM outbox WHERE kind = 'slack_daily_digest'").pluck().get() as string);
    expect(Object.keys(payload.figures)).not.toContain('shadow');
    expect(Object.keys(payload.figures)).not.toContain('overrides');
    await dispatchSlack(h);
    const text = parsedText(h.fake.callsTo('chat.postMessage')[0]!.body);
    expect(text).not.toContain('Shadow policy');
    expect(text).not.toContain('Overrides');
  });
});
