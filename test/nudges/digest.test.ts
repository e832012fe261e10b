import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueDailyDigest } from '../../src/nudges/digest.ts';
import { setKillSwitch } from '../../src/pipeline/kill-switch.ts';
import { digestFigures } from '../../src/review/stats.ts';
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
const iso = (ms: number) => new Date(ms).toISOString();

/** Writes the rows the digest reads, at chosen times, straight into the real schema. */
function seed(now: number) {
  const lead = (agoMs: number, company: string) => {
    const id = randomUUID();
    h.db.prepare(`INSERT INTO leads (id, provider, email, email_domain, content_hash, data_json, status, correlation_id, created_at, updated_at)
      VALUES (?, 'generic', ?, 'x.example', ?, ?, 'routed', ?, ?, ?)`).run(id, `${id}@x.example`, id, JSON.stringify({ company }), `corr-${id}`, iso(now - agoMs), iso(now - agoMs));
    return { id, at: now - agoMs };
  };
  const decision = (l: { id: string; at: number }, action: string, review: boolean) =>
    h.db.prepare(`INSERT INTO decisions (id, lead_id, version, final_action, status, decision_json, policy_hash, correlation_id, created_at)
      VALUES (?, ?, 1, ?, ?, ?, 'p', 'c', ?)`).run(randomUUID(), l.id, action, review ? 'pending_review' : 'executed', JSON.stringify({ needs_review: review }), iso(l.at));
  const audit = (leadId: string | null, at: number, stage: string, actor: string, cost: number | null = null) =>
    h.db.prepare('INSERT INTO audit_log (at, lead_id, correlation_id, stage, event, actor, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?)').run(iso(at), leadId, 'c', stage, 'seeded', actor, cost);
  const claim = (l: { id: string; at: number }, afterMs: number) =>
    h.db.prepare('INSERT INTO lead_claims (lead_id, user_id, claimed_at, first_claimed_at) VALUES (?, ?, ?, ?)').run(l.id, 'U0REP00001', iso(l.at + afterMs), iso(l.at + afterMs));

  const routed = lead(2 * HOUR, 'Routed'); decision(routed, 'auto_route_sales', false);
  audit(routed.id, routed.at + 4 * MINUTE, 'review', 'U0REP00001'); claim(routed, 10 * MINUTE);
  const waiting = lead(3 * HOUR, 'Waiting'); decision(waiting, 'human_review', true);
  audit(waiting.id, waiting.at + MINUTE, 'review', 'system'); // an SLA reminder: no person touched it
  const spam = lead(5 * HOUR, 'Spam'); decision(spam, 'auto_reject_spam', false);
  const ackHeld = lead(1 * HOUR, 'Ack held'); decision(ackHeld, 'auto_route_support', true);
  audit(ackHeld.id, ackHeld.at + 20 * MINUTE, 'review', 'U0REP00001'); claim(ackHeld, 20 * MINUTE);
  const old = lead(30 * HOUR, 'Yesterday'); decision(old, 'human_review', true);
  lead(10 * MINUTE, 'Still processing');

  audit(routed.id, now - 1 * HOUR, 'classify', 'claude', 0.0123);
  audit(waiting.id, now - 2 * HOUR, 'classify', 'claude', 0.0021);
  audit(old.id, now - 30 * HOUR, 'classify', 'claude', 0.5);
  audit(null, now - HOUR, 'act', 'system', 1);

  for (const status of ['dead', 'dead', 'done']) {
    h.db.prepare(`INSERT INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, status, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES ('l', 'd', 'crm_add_note', ?, '{}', ?, 0, 'c', ?, ?)`).run(randomUUID(), status, iso(now), iso(now));
  }
  for (const status of ['dead', 'done']) {
    h.db.prepare(`INSERT INTO jobs (kind, lead_id, status, run_at, correlation_id, created_at, updated_at) VALUES ('process_lead', 'l', ?, 0, 'c', ?, ?)`).run(status, iso(now), iso(now));
  }
}

describe('daily digest', () => {
  it('computes the last 24 h figures from what was seeded', () => {
    const now = Date.now();
    seed(now);
    expect(digestFigures(h.db, false, now)).toEqual({
      label: 'Last 24 h', window_start: iso(now - 24 * HOUR), window_end: iso(now),
      volume: 5, automatic_rate: 0.75, review_rate: 0.5,
      median_first_touch_minutes: 12, median_claim_minutes: 15,
      pending_reviews: 3, oldest_pending_minutes: 30 * 60,
      dead_effects: 2, dead_jobs: 1, classifier_cost_usd: expect.closeTo(0.0144, 10), paused: false,
    });
  });

  it('posts once per day to the review channel, with those figures, and audits it', async () => {
    const now = Date.now();
    seed(now);
    expect(queueDailyDigest(h.db, h.audit, h.loaded.policy, now)).toBe(true);
    expect(queueDailyDigest(h.db, h.audit, h.loaded.policy, now + MINUTE)).toBe(false);
    await dispatchSlack(h);

    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body;
    expect(body.channel).toBe(h.loaded.policy.routing.review_channel);
    expect(body.thread_ts).toBeUndefined();
    const text = parsedText(body);
    for (const expected of ['*Leads*\n5', '*Automatic actions*\n75%', '*Sent to review*\n50%', '*Median to first touch*\n12 min', '*Median to claim*\n15 min',
      '*Pending reviews*\n3 (oldest 30.0 h)', '*Dead-letter effects*\n2', '*Dead jobs*\n1', '$0.0144', 'outbox list --dead']) {
      expect(text).toContain(expected);
    }
    expect(mentionsIn(text)).toEqual([]);
    expect(JSON.stringify(body.blocks)).toContain(`Lead triage digest · ${iso(now).slice(0, 10)}`);

    const audited = h.db.prepare("SELECT event, correlation_id, output_json FROM audit_log WHERE stage = 'digest'").all() as Array<{ event: string; correlation_id: string; output_json: string }>;
    expect(audited).toHaveLength(1);
    expect(audited[0]!.correlation_id).toBe(`digest-${iso(now).slice(0, 10)}`);
    expect(JSON.parse(audited[0]!.output_json).figures.volume).toBe(5);
    expect(h.db.prepare("SELECT COUNT(*) FROM audit_log WHERE event = 'effect_done' AND decision = 'slack_daily_digest'").pluck().get()).toBe(1);
  });

  it('queues again on the next day, honours a configured channel, says when paused, and stays off when disabled', async () => {
    const now = Date.now();
    const policy = { ...h.loaded.policy, digest: { enabled: true, cron: '0 9 * * *', channel: 'C0DIGEST01' } };
    setKillSwitch(h.db, h.audit, true, 'U0APPROVE1', 'corr-pause');
    expect(queueDailyDigest(h.db, h.audit, policy, now)).toBe(true);
    await dispatchSlack(h);
    const body = h.fake.callsTo('chat.postMessage')[0]!.body;
    expect(body.channel).toBe('C0DIGEST01');
    expect(parsedText(body)).toContain('*Paused*');
    expect(parsedText(body)).not.toContain('outbox list --dead');

    expect(queueDailyDigest(h.db, h.audit, policy, now + 24 * HOUR)).toBe(true);
    expect(queueDailyDigest(h.db, h.audit, { ...policy, digest: { ...policy.digest, enabled: false } }, now + 48 * HOUR)).toBe(false);
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'slack_daily_digest'").pluck().get()).toBe(2);
  });

  it('dead-letters a digest whose stored payload is not what we wrote', async () => {
    h.db.prepare(`INSERT INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      VALUES ('', '', 'slack_daily_digest', 'bad', '{"date":"<!channel>"}', 0, 'c', ?, ?)`).run(iso(Date.now()), iso(Date.now()));
    await dispatchSlack(h);
    expect(h.db.prepare("SELECT status FROM outbox WHERE dedupe_key = 'bad'").pluck().get()).toBe('dead');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('is recorded locally without a Slack token', async () => {
    const local = await startHarness({ recorded: true });
    try {
      expect(queueDailyDigest(local.db, local.audit, local.loaded.policy)).toBe(true);
      await dispatchSlack(local);
      const row = local.db.prepare("SELECT channel, body_json FROM slack_recorded WHERE method = 'chat.postMessage'").get() as { channel: string; body_json: string };
      expect(row.channel).toBe(local.loaded.policy.routing.review_channel);
      expect(parsedText(JSON.parse(row.body_json))).toContain('*Leads*\n0');
    } finally {
      await local.close();
    }
  });
});
