import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueFirstTouchNudges } from '../../src/nudges/firstTouch.ts';
import { setKillSwitch } from '../../src/pipeline/kill-switch.ts';
import { claimLead } from '../../src/review/claim.ts';
import { windowStats } from '../../src/review/stats.ts';
import { sampleClassification, sampleLead, seedLead, startHarness, type Harness } from '../slack/harness.ts';
import { MINUTE, ageLead, dispatchSlack, mentionsIn, parsedText } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** A confident buyer: the policy routes it to the sales queue on its own, and its card is posted there. */
async function routedLead(name = 'Dana Buyer'): Promise<{ leadId: string; cardTs: string; channel: string }> {
  const { leadId } = seedLead(h, sampleLead({ name }), sampleClassification({ confidence: 0.92, fit_score: 80 }));
  expect(h.db.prepare('SELECT status FROM leads WHERE id = ?').pluck().get(leadId)).toBe('routed');
  await dispatchSlack(h);
  const card = h.db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = 'lead'").get(leadId) as { channel: string; ts: string };
  return { leadId, cardTs: card.ts, channel: card.channel };
}

const nudges = () => h.fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts);
const queue = (now = Date.now()) => queueFirstTouchNudges(h.db, h.audit, h.loaded.policy, now);

describe('first-touch SLA nudge', () => {
  it('posts one nudge in the card thread, mentioning only the queue owners, once the SLA has passed', async () => {
    const { leadId, cardTs, channel } = await routedLead('<!channel> Dana <@U0EVIL0001> <https://evil.example|click>');
    expect(channel).toBe(h.loaded.policy.routing.queues.sales.channel);
    const sla = h.loaded.policy.sla.first_touch_minutes;
    const arrived = Date.now() - (sla + 5) * MINUTE;
    ageLead(h, leadId, sla + 5);

    expect(queue(arrived + (sla - 1) * MINUTE)).toBe(0);
    expect(queue()).toBe(1);
    expect(queue()).toBe(0);
    expect(queue(Date.now() + 60 * MINUTE)).toBe(0);
    await dispatchSlack(h);

    expect(nudges()).toHaveLength(1);
    const nudge = nudges()[0]!.body;
    expect(nudge.channel).toBe(channel);
    expect(nudge.thread_ts).toBe(cardTs);
    const text = parsedText(nudge);
    expect(mentionsIn(text)).toEqual(['@U0SALES001']);
    expect(text).toContain('&lt;!channel&gt; Dana &lt;@U0EVIL0001&gt; &lt;https://evil.example|click&gt;');
    expect(text).toContain(`has waited ${sla + 5} min`);
    expect(text).toContain(`SLA ${sla} min`);

    const events = h.audit.trail(leadId);
    expect(events.filter((r) => r.event === 'first_touch_overdue')).toHaveLength(1);
    expect(events.some((r) => r.event === 'effect_done' && r.decision === 'slack_first_touch_nudge')).toBe(true);
    // The nudge is the system's row, not a person's first touch.
    expect(windowStats(h.db, 'day', 24 * 60 * MINUTE).median_first_touch_minutes).toBeNull();
  });

  it('never nudges a claimed lead, and drops a queued nudge when someone takes the lead before it is sent', async () => {
    const claimed = await routedLead();
    ageLead(h, claimed.leadId, 60);
    claimLead(h.db, h.audit, claimed.leadId, 'U0REP00001');
    expect(queue()).toBe(0);

    const late = await routedLead('Late Taker');
    ageLead(h, late.leadId, 60);
    expect(queue()).toBe(1);
    claimLead(h.db, h.audit, late.leadId, 'U0REP00002');
    await dispatchSlack(h);
    expect(nudges()).toHaveLength(0);
    const result = h.db.prepare("SELECT result_json FROM outbox WHERE kind = 'slack_first_touch_nudge'").pluck().get() as string;
    expect(JSON.parse(result)).toEqual({ skipped: 'lead claimed, touched or no longer routed' });
  });

  it('leaves held, in-review, rejected and old leads alone', async () => {
    const inReview = seedLead(h); // low confidence: held for review, its card sits in the review channel
    const rejected = await routedLead('Rejected Later');
    h.db.prepare("UPDATE leads SET status = 'rejected' WHERE id = ?").run(rejected.leadId);
    const held = await routedLead('Held');
    h.db.prepare("UPDATE leads SET status = 'held' WHERE id = ?").run(held.leadId);
    const ancient = await routedLead('Three Days Ago');
    await dispatchSlack(h);
    for (const id of [inReview.leadId, rejected.leadId, held.leadId]) ageLead(h, id, 60);
    ageLead(h, ancient.leadId, 3 * 24 * 60);
    expect(queue()).toBe(0);
  });

  it('queues nothing while the kill switch is on, and drops nudges queued before the pause', async () => {
    const { leadId } = await routedLead();
    ageLead(h, leadId, 60);
    setKillSwitch(h.db, h.audit, true, 'U0APPROVE1', 'corr-pause');
    expect(queue()).toBe(0);
    setKillSwitch(h.db, h.audit, false, 'U0APPROVE1', 'corr-resume');
    expect(queue()).toBe(1);
    setKillSwitch(h.db, h.audit, true, 'U0APPROVE1', 'corr-pause-2');
    await dispatchSlack(h);
    expect(nudges()).toHaveLength(0);
    expect(queueFirstTouchNudges(h.db, h.audit, { ...h.loaded.policy, kill_switch: true })).toBe(0);
  });
});

describe('first-touch nudge without a Slack token', () => {
  it('is recorded locally in the card thread', async () => {
    const local = await startHarness({ recorded: true });
    try {
      const { leadId } = seedLead(local, sampleLead(), sampleClassification({ confidence: 0.92 }));
      await dispatchSlack(local);
      ageLead(local, leadId, 30);
      expect(queueFirstTouchNudges(local.db, local.audit, local.loaded.policy)).toBe(1);
      await dispatchSlack(local);
      const rows = local.db.prepare("SELECT channel, ts, body_json FROM slack_recorded WHERE method = 'chat.postMessage' ORDER BY id").all() as Array<{ channel: string; ts: string; body_json: string }>;
      expect(rows).toHaveLength(2);
      const [card, nudge] = rows as [typeof rows[0], typeof rows[0]];
      expect(nudge.channel).toBe(card.channel);
      expect(JSON.parse(nudge.body_json).thread_ts).toBe(card.ts);
      expect(mentionsIn(parsedText(JSON.parse(nudge.body_json)))).toEqual(['@U0SALES001']);
    } finally {
      await local.close();
    }
  });
});
