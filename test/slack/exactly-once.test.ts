import { afterEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { TransientError } from '../../src/core/upstream.ts';
import type { OutboxEffect } from '../../src/core/effects.ts';
import { createInflightLedger } from '../../src/outbox/inflight.ts';
import { createCardEffects } from '../../src/slack/cardEffects.ts';
import { recordedNotifier, webNotifier } from '../../src/slack/notifier.ts';
import { REVIEW_CHANNEL, seedLead, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

function effectFor(leadId: string, kind: OutboxEffect['kind'], attempts = 1): OutboxEffect {
  const row = h.db.prepare('SELECT id, decision_id, dedupe_key, correlation_id FROM outbox WHERE lead_id = ? AND kind = ?').get(leadId, kind) as { id: number; decision_id: string; dedupe_key: string; correlation_id: string };
  return { id: row.id, lead_id: leadId, decision_id: row.decision_id, kind, dedupe_key: row.dedupe_key, payload: {}, attempts, correlation_id: row.correlation_id };
}

const cardRow = () => h.db.prepare('SELECT channel, ts FROM slack_cards').get() as { channel: string; ts: string } | undefined;

describe('Slack posts exactly once', () => {
  it('a card Slack accepted but answered with a 500 is not re-posted: no SDK retry, and the outbox retry finds it by its metadata', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    h.fake.failNext('chat.postMessage', { acceptThenStatus: 500 });
    const failed = await h.slack.effectHandlers.slack_review_card(effect).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TransientError);
    expect((failed as TransientError).uncertain).toBe(true);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    const [posted] = h.fake.messages;
    expect(posted!.metadata).toEqual({ event_type: 'lead_triage_post', event_payload: { key: effect.dedupe_key, lead_id: leadId } });

    const result = await h.slack.effectHandlers.slack_review_card({ ...effect, attempts: 2 });
    expect(result).toMatchObject({ action: 'posted', channel: REVIEW_CHANNEL, ts: posted!.ts });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.fake.callsTo('conversations.history')[0]!.body).toMatchObject({ channel: REVIEW_CHANNEL, include_all_metadata: 'true' });
    expect(h.fake.messages).toHaveLength(1);
    expect(cardRow()).toEqual({ channel: REVIEW_CHANNEL, ts: posted!.ts });
  });

  it('a card Slack answers only after the client timeout is found on the retry, not posted twice', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    // The app's own post client, with a short timeout so the test need not wait Slack's 5 s.
    const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: h.fake.apiUrl, timeout: 200, retryConfig: { retries: 0 } });
    const cards = createCardEffects({ db: h.db, leads: h.leads, loaded: h.loaded, notifier: webNotifier(client), ledger: createInflightLedger(h.db, { settleMs: 0 }) });
    h.fake.failNext('chat.postMessage', { acceptThenHoldMs: 600 });
    const effect = effectFor(leadId, 'slack_review_card');
    const failed = await cards.slack_review_card(effect).catch((e: unknown) => e);
    expect((failed as Error).message).toBe('slack: request failed');
    await cards.slack_review_card({ ...effect, attempts: 2 });
    await new Promise((r) => setTimeout(r, 700));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.fake.messages).toHaveLength(1);
    expect(cardRow()?.ts).toBe(h.fake.messages[0]!.ts);
  });

  it('a thread reply (the review reminder) is looked for in its thread, and a lost post is posted again', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    await h.slack.effectHandlers.slack_review_card(effectFor(leadId, 'slack_review_card'));
    const card = cardRow()!;
    h.db.prepare(`INSERT INTO outbox (lead_id, decision_id, kind, dedupe_key, payload_json, next_attempt_at, correlation_id, created_at, updated_at)
      SELECT lead_id, decision_id, 'slack_review_reminder', lead_id || ':reminder', '{}', 0, correlation_id, created_at, updated_at FROM outbox WHERE kind = 'slack_review_card'`).run();
    const reminder = effectFor(leadId, 'slack_review_reminder');
    h.fake.failNext('chat.postMessage', { acceptThenStatus: 503 });
    await expect(h.slack.effectHandlers.slack_review_reminder(reminder)).rejects.toBeInstanceOf(TransientError);
    await h.slack.effectHandlers.slack_review_reminder({ ...reminder, attempts: 2 });
    expect(h.fake.callsTo('conversations.replies')[0]!.body).toMatchObject({ channel: card.channel, ts: card.ts, include_all_metadata: 'true' });
    expect(h.fake.messages.filter((m) => m.thread_ts === card.ts)).toHaveLength(1);

  });

  it('a post whose outcome was unknown but never reached Slack is looked for, not found, and posted', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    h.db.prepare("INSERT INTO effect_calls (dedupe_key, call, started_at) VALUES (?, 'slack_post', ?)").run(effect.dedupe_key, Date.now() - 5_000);
    await h.slack.effectHandlers.slack_review_card({ ...effect, attempts: 2 });
    expect(h.fake.callsTo('conversations.history')).toHaveLength(1);
    expect(h.fake.messages.map((m) => m.metadata?.event_payload.key)).toEqual([effect.dedupe_key]);
  });

  it('a rate-limited post (Slack answered: nothing posted) is simply posted again, without reading history', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await expect(h.slack.effectHandlers.slack_review_card(effect)).rejects.toBeInstanceOf(TransientError);
    await h.slack.effectHandlers.slack_review_card({ ...effect, attempts: 2 });
    expect(h.fake.callsTo('conversations.history')).toHaveLength(0);
    expect(h.fake.messages).toHaveLength(1);
  });

  it('recorded (no Slack token): a post whose bookkeeping a crash interrupted is found in slack_recorded', async () => {
    h = await startHarness({ recorded: true });
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    // the post happened and the process died before its result was kept
    const at = Date.now();
    await recordedNotifier(h.db).post({ channel: REVIEW_CHANNEL, message: { text: 'x', blocks: [] }, key: effect.dedupe_key, leadId });
    h.db.prepare("INSERT INTO effect_calls (dedupe_key, call, started_at) VALUES (?, 'slack_post', ?)").run(effect.dedupe_key, at);
    const result = await h.slack.effectHandlers.slack_review_card(effect);
    expect(result).toMatchObject({ action: 'posted', ts: 'local.1' });
    expect(h.db.prepare("SELECT COUNT(*) FROM slack_recorded WHERE method = 'chat.postMessage'").pluck().get()).toBe(1);
  });
});
