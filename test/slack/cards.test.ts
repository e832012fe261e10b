import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../src/core/upstream.ts';
import type { OutboxEffect } from '../../src/core/effects.ts';
import { REVIEW_CHANNEL, drainSlackEffects, sampleClassification, sampleLead, seedLead, startHarness, type Harness } from './harness.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

const HOSTILE = 'Hi <!channel> & <!here> ping <@U123> and <https://evil.example|click here> now';

function effectFor(leadId: string, kind: OutboxEffect['kind']): OutboxEffect {
  const row = h.db.prepare('SELECT id, decision_id, dedupe_key, correlation_id FROM outbox WHERE lead_id = ? AND kind = ?').get(leadId, kind) as { id: number; decision_id: string; dedupe_key: string; correlation_id: string };
  return { id: row.id, lead_id: leadId, decision_id: row.decision_id, kind, dedupe_key: row.dedupe_key, payload: {}, attempts: 0, correlation_id: row.correlation_id };
}

describe('card effects', () => {
  it('escapes hostile submitted text so it cannot mention anyone or forge a link', async () => {
    h = await startHarness();
    seedLead(h, sampleLead({ name: '<!channel> Mallory', company: '<@U123> Corp & Co', message: HOSTILE }), sampleClassification({ summary_for_slack: HOSTILE, fit_reasoning: HOSTILE }));
    await drainSlackEffects(h);
    // Slack parses mentions and links in mrkdwn and in the message text; plain_text is shown literally.
    const sent = JSON.stringify(h.fake.callsTo('chat.postMessage').map((c) => [c.body.text, mrkdwnTexts(c.body.blocks)]));
    for (const bad of ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|click here>']) expect(sent).not.toContain(bad);
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('&lt;@U123&gt; Corp &amp; Co');
    expect(sent).toContain('&lt;https://evil.example|click here&gt;');
  });

  it('posts each card once; running the effect again updates it in place', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    const first = await h.slack.effectHandlers.slack_review_card(effect);
    const again = await h.slack.effectHandlers.slack_review_card(effect);
    expect(first).toMatchObject({ action: 'posted', channel: REVIEW_CHANNEL });
    expect(again).toMatchObject({ action: 'updated', channel: REVIEW_CHANNEL, ts: (first as { ts: string }).ts });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('maps Slack rate limits to TransientError with Retry-After and bad channels to PermanentError', async () => {
    h = await startHarness();
    const { leadId } = seedLead(h);
    const effect = effectFor(leadId, 'slack_review_card');
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const limited = await h.slack.effectHandlers.slack_review_card(effect).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect((limited as TransientError).retryAfterMs).toBe(7000);
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const missing = await h.slack.effectHandlers.slack_review_card(effect).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PermanentError);
    expect((missing as Error).message).toBe('slack: channel_not_found');
    expect(h.db.prepare('SELECT COUNT(*) FROM slack_cards').pluck().get()).toBe(0);
  });

  it('without a token, records the messages locally and still updates instead of re-posting', async () => {
    h = await startHarness({ recorded: true });
    expect(h.slack.app).toBeNull();
    expect(h.slack.requestListener).toBeNull();
    const { leadId } = seedLead(h);
    await drainSlackEffects(h);
    await h.slack.effectHandlers.slack_update_card(effectFor(leadId, 'slack_review_card'));
    const rows = h.db.prepare('SELECT method, channel, ts FROM slack_recorded ORDER BY id').all() as Array<{ method: string; channel: string; ts: string }>;
    expect(rows.map((r) => [r.method, r.channel])).toEqual([['chat.postMessage', REVIEW_CHANNEL], ['chat.update', REVIEW_CHANNEL]]);
    expect(rows[1]!.ts).toBe(rows[0]!.ts);
    expect(h.fake.calls).toHaveLength(0);
  });
});
