import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { setKillSwitch } from '../../src/pipeline/kill-switch.ts';
import { currentAssignment } from '../../src/routing/ledger.ts';
import { runSlaLadder } from '../../src/sla/sweep.ts';
import { blockActionBody, eventBody, sampleClassification, sampleLead, seedLead, sendForm, sendJson, startHarness, waitFor, type Harness } from '../slack/harness.ts';
import { dispatchSlack, mentionsIn, MINUTE, parsedText } from '../nudges/helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const MANAGER = 'U0APPROVE1';

/** A confident buyer routed to sales at the clock's current instant, its card and DMs sent. */
async function routedLead(name = 'Dana Buyer'): Promise<{ leadId: string; card: { channel: string; ts: string } }> {
  const { leadId } = seedLead(h, sampleLead({ name }), sampleClassification({ confidence: 0.92, fit_score: 80 }));
  expect(h.db.prepare('SELECT status FROM leads WHERE id = ?').pluck().get(leadId)).toBe('routed');
  await dispatchSlack(h);
  const card = h.db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = 'lead'").get(leadId) as { channel: string; ts: string };
  return { leadId, card };
}

const sweep = () => runSlaLadder(h.db, h.audit, h.loaded.policy, h.clock.now());
const posts = () => h.fake.callsTo('chat.postMessage').map((c) => ({ channel: String(c.body.channel), thread: c.body.thread_ts as string | undefined, text: parsedText(c.body) }));
const events = (leadId: string, prefix: string) => h.audit.trail(leadId).filter((r) => r.event.startsWith(prefix)).map((r) => r.event);

describe('assignment to one person', () => {
  it('gives the lead to the one eligible member, says why on the card, and sends them a direct message', async () => {
    h.clock.set('2026-12-01T10:00:00Z'); // Ana (Berlin) at work, Ben (New York) asleep
    const { leadId, card } = await routedLead();
    const a = currentAssignment(h.db, leadId)!;
    expect(a).toMatchObject({ user_id: ANA, pool: 'ae', via: 'round_robin', queue: 'sales' });
    const detail = JSON.parse(a.detail_json) as { candidates: Array<{ user: string; eligible: boolean; why: string }> };
    expect(detail.candidates.find((c) => c.user === BEN)).toMatchObject({ eligible: false });
    expect(detail.candidates.find((c) => c.user === BEN)!.why).toMatch(/off hours/);

    const cardPost = h.fake.callsTo('chat.postMessage').find((c) => c.body.channel === card.channel && !c.body.thread_ts)!;
    const cardText = parsedText(cardPost.body);
    expect(cardText).toContain(`*Owner* <@${ANA}>`);
    expect(cardText).toMatch(/round robin in ae pool: 1st of 8 today, weight 2/);
    expect(JSON.stringify(cardPost.body.blocks)).toContain(ACTION_IDS.accept);

    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual([ANA]);
    const dm = posts().find((p) => p.channel === `D${ANA.slice(1)}`)!;
    expect(dm.text).toContain('You own a new lead');
    const why = h.audit.trail(leadId).find((r) => r.event === 'assigned')?.reason;
    expect(why).toMatch(/^round robin in ae pool: 1st of 8 today, weight 2 — considered: U0SALES001 eligible \(0 assigned, target 0\); U0SALES002 off hours \(Tue 05:00 in America\/New_York\)$/);
  });

  it('posts unassigned and alerts the manager when nobody is at work, then assigns at the next opening', async () => {
    h.clock.set('2026-12-01T23:00:00Z'); // midnight in Berlin, 18:00 in New York
    const { leadId, card } = await routedLead('Night Owl');
    expect(currentAssignment(h.db, leadId)).toMatchObject({ user_id: null, via: 'fallback' });
    const alert = posts().find((p) => p.channel === `D${MANAGER.slice(1)}`)!;
    expect(alert.text).toMatch(/nobody could be assigned/i);
    expect(alert.text).toContain('off hours');

    // The sales clock counts working hours only: the first reminder is due 10 min after Ana's 09:00 opening.
    h.clock.set('2026-12-02T08:05:00Z');
    expect(sweep()).toBe(0);
    h.clock.set('2026-12-02T08:10:30Z');
    expect(sweep()).toBe(1);
    await dispatchSlack(h);
    const nudge = posts().find((p) => p.thread === card.ts)!;
    expect(nudge.text).toContain('with nobody taking it');
    expect(mentionsIn(nudge.text)).toEqual([`@${ANA}`]); // the queue's owners from the policy

    // The reassign step at 30 working minutes finds Ana at work now.
    h.clock.set('2026-12-02T08:30:10Z');
    expect(sweep()).toBe(1);
    expect(currentAssignment(h.db, leadId)).toMatchObject({ user_id: ANA, via: 'round_robin' });
  });
});

describe('the SLA ladder', () => {
  it('reminds, reassigns to the next member (never back), then escalates, each step once and audited', async () => {
    h.clock.set('2026-12-01T15:00:00Z'); // both at work: Berlin 16:00, New York 10:00
    const { leadId, card } = await routedLead('<!channel> Dana <@U0EVIL0001>');
    expect(currentAssignment(h.db, leadId)!.user_id).toBe(ANA); // equal shortfall: the heavier weight first

    h.clock.advance(10 * MINUTE + 5_000);
    expect(sweep()).toBe(1);
    expect(sweep()).toBe(0);
    await dispatchSlack(h);
    const reminders = posts().filter((p) => p.text.includes('has waited'));
    expect(reminders.map((p) => p.channel).sort()).toEqual([card.channel, `D${ANA.slice(1)}`].sort());
    for (const r of reminders) expect(mentionsIn(r.text)).toEqual([`@${ANA}`]);
    expect(reminders.find((p) => p.channel === card.channel)!.thread).toBe(card.ts);

    h.clock.advance(20 * MINUTE);
    expect(sweep()).toBe(1);
    const moved = currentAssignment(h.db, leadId)!;
    expect(moved.user_id).toBe(BEN);
    const credited = h.db.prepare('SELECT credited, ended_reason FROM assignments WHERE lead_id = ? AND user_id = ?').get(leadId, ANA);
    expect(credited).toEqual({ credited: 1, ended_reason: 'not accepted within 30 min' });
    await dispatchSlack(h);
    const updated = h.fake.callsTo('chat.update').at(-1)!;
    expect(parsedText(updated.body)).toContain(`Reassigned from <@${ANA}> to <@${BEN}>: not accepted within 30 min`);
    expect(posts().some((p) => p.channel === `D${BEN.slice(1)}` && p.text.includes('You own a new lead'))).toBe(true);

    // Ben's own reminder comes 10 min after his assignment; the escalation counts from the first assignment.
    h.clock.advance(10 * MINUTE);
    expect(sweep()).toBe(1);
    h.clock.advance(20 * MINUTE);
    const fired = sweep();
    expect(fired).toBe(2); // the escalation at 60 min, then Ben's reassign (nobody left: Ana held it before)
    await dispatchSlack(h);
    const escalation = posts().filter((p) => p.text.includes('escalation'));
    expect(escalation.map((p) => p.channel).sort()).toEqual([card.channel, `D${MANAGER.slice(1)}`].sort());
    for (const e of escalation) expect(mentionsIn(e.text)).toEqual([`@${MANAGER}`]);
    expect(events(leadId, 'sla_')).toEqual(['sla_remind', 'sla_reassign', 'sla_remind', 'sla_escalate', 'sla_reassign']);
    expect(currentAssignment(h.db, leadId)!.user_id).toBeNull(); // never returned to Ana
  });

  it('stops at Accept on the card, and only the assignee can accept', async () => {
    h.clock.set('2026-12-01T10:00:00Z');
    const { leadId, card } = await routedLead();
    const res = await sendForm(h, blockActionBody(BEN, ACTION_IDS.accept, leadId, card.channel));
    expect(res.status).toBe(200);
    await waitFor(() => h.fake.callsTo('chat.postEphemeral').length > 0);
    expect(currentAssignment(h.db, leadId)!.accepted_at).toBeNull();

    await sendForm(h, blockActionBody(ANA, ACTION_IDS.accept, leadId, card.channel));
    await waitFor(() => currentAssignment(h.db, leadId)!.accepted_at !== null);
    expect(currentAssignment(h.db, leadId)!.accepted_how).toBe('accept button');
    h.clock.advance(3 * 60 * MINUTE);
    expect(sweep()).toBe(0);
    expect(events(leadId, 'assignment_accepted')).toHaveLength(1);
  });

  it('stops when the assignee replies in the card thread; a bystander\'s reply does not count', async () => {
    h.clock.set('2026-12-01T10:00:00Z');
    const { leadId, card } = await routedLead();
    const reply = (user: string, ts: string) => ({ type: 'message', channel: card.channel, user, text: 'on it', ts, thread_ts: card.ts, channel_type: 'channel', event_ts: ts });
    await sendJson(h, eventBody(reply('U0BYSTAND1', '1800000000.000200')));
    await sendJson(h, eventBody(reply(ANA, '1800000000.000300')));
    await waitFor(() => currentAssignment(h.db, leadId)!.accepted_at !== null);
    expect(currentAssignment(h.db, leadId)).toMatchObject({ user_id: ANA, accepted_how: 'thread reply' });
    h.clock.advance(2 * 60 * MINUTE);
    expect(sweep()).toBe(0);
  });

  it('fires nothing while the kill switch is on, and drops steps queued before the pause', async () => {
    h.clock.set('2026-12-01T10:00:00Z');
    const { leadId } = await routedLead();
    h.clock.advance(11 * MINUTE);
    setKillSwitch(h.db, h.audit, true, MANAGER, 'corr-pause');
    expect(sweep()).toBe(0);
    setKillSwitch(h.db, h.audit, false, MANAGER, 'corr-resume');
    expect(sweep()).toBe(1);
    setKillSwitch(h.db, h.audit, true, MANAGER, 'corr-pause-2');
    await dispatchSlack(h);
    expect(posts().filter((p) => p.text.includes('has waited'))).toHaveLength(0);
    const result = h.db.prepare("SELECT result_json FROM outbox WHERE kind = 'slack_sla_remind' AND lead_id = ?").pluck().get(leadId) as string;
    expect(JSON.parse(result)).toEqual({ skipped: 'accepted, moved on or paused since' });
  });

  it('leaves claimed, in-review and rejected leads alone; a claim by someone else moves the lead and credits the slot back', async () => {
    h.clock.set('2026-12-01T10:00:00Z');
    const inReview = seedLead(h); // low confidence: held for review, nobody assigned
    expect(currentAssignment(h.db, inReview.leadId)).toBeNull();
    const { leadId, card } = await routedLead();
    await sendForm(h, blockActionBody('U0REP00009', ACTION_IDS.claim, leadId, card.channel));
    await waitFor(() => currentAssignment(h.db, leadId)?.user_id === 'U0REP00009');
    expect(h.db.prepare('SELECT credited FROM assignments WHERE lead_id = ? AND user_id = ?').pluck().get(leadId, ANA)).toBe(1);
    expect(currentAssignment(h.db, leadId)!.accepted_how).toBe('take this lead');
    h.clock.advance(2 * 60 * MINUTE);
    expect(sweep()).toBe(0);
  });
});
