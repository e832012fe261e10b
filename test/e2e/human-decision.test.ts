import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { claimLead } from '../../src/review/claim.ts';
import { resolveReview } from '../../src/review/resolve.ts';
import { decide } from '../../src/policy/decide.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const APPROVER = 'U0APPROVE1';
const STRANGER = 'U0OUTSIDE1';
const REP = 'U0REP00001';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const freeMailBuyer = {
  event_id: 'evt-hd-1', email: 'sam.k@gmail.com', name: 'Sam K',
  message: 'We are a 30-person SaaS team evaluating analytics tools. Could you send pricing for 10 seats and book a demo next week?',
};

async function until(fn: () => unknown, what: string, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; !fn();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `/triage <text>` as Slack sends it; resolves with the ephemeral answer posted to the response_url. */
async function triage(app: TestApp, user: string, text: string): Promise<string> {
  const before = app.slack!.callsTo('response_url').length;
  const body = new URLSearchParams({
    token: 'legacy', team_id: 'T0FAKE001', team_domain: 'fake', channel_id: 'C0SALES001', channel_name: 'sales', user_id: user, user_name: user.toLowerCase(),
    command: '/triage', text, api_app_id: 'A0APP0001', response_url: `${app.slack!.url}/respond/${randomUUID()}`, trigger_id: `trig-${randomUUID()}`,
  }).toString();
  expect((await app.slackPost(body)).status).toBe(200);
  await until(() => app.slack!.callsTo('response_url')[before], 'the /triage answer');
  return JSON.stringify(app.slack!.callsTo('response_url')[before]!.body);
}

function click(app: TestApp, user: string, actionId: string, value: string, channel: string): Promise<Response> {
  const payload = {
    type: 'block_actions', team: { id: 'T0FAKE001', domain: 'fake' }, user: { id: user, username: 'u', team_id: 'T0FAKE001' }, api_app_id: 'A0APP0001', token: 'legacy',
    trigger_id: `trig-${randomUUID()}`, container: { type: 'message', message_ts: '1.0', channel_id: channel }, channel: { id: channel, name: 'c' },
    message: { type: 'message', ts: '1.0', text: 'note' }, response_url: `${app.slack!.url}/respond/${randomUUID()}`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
  };
  return app.slackPost(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/** A lead an approver rejected from its review card. */
async function rejectedLead(app: TestApp): Promise<string> {
  const { body } = await app.deliver('generic', freeMailBuyer);
  const leadId = body.lead_id as string;
  await app.settle();
  const decisionId = app.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;
  const { db, audit, leads } = app.app;
  const out = resolveReview({ db, audit, leads, loaded: app.loaded, decide }, { decisionId, kind: 'reject', userId: APPROVER, reason: 'not a fit' });
  expect(out.outcome).toBe('resolved');
  await app.settle();
  expect(leads.get(leadId)?.status).toBe('rejected');
  return leadId;
}

describe('a human decision nobody else can undo', () => {
  it("a stranger's /triage on a lead an approver rejected is refused: no run, no contact, no card", async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const leadId = await rejectedLead(t);
    const counts = () => ({
      jobs: t!.app.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get(), decisions: t!.app.db.prepare('SELECT COUNT(*) FROM decisions').pluck().get(),
      posts: t!.slack!.callsTo('chat.postMessage').length, contacts: t!.hubspot!.store.contacts.size,
    });
    const before = counts();
    const answer = await triage(t, STRANGER, 'sam.k@gmail.com');
    expect(answer).toContain('Only approvers can reprocess it');
    expect(answer).toContain('"response_type":"ephemeral"');
    await t.settle();
    expect(counts()).toEqual(before);
    expect(t.app.leads.get(leadId)?.status).toBe('rejected');
    expect(t.app.audit.trail(leadId).find((r) => r.event === 'reprocess_refused')?.actor).toBe(STRANGER);
  });

  it("an approver's reprocess refreshes the reading but the rejection stands; only an approver's Apply replaces it", async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const leadId = await rejectedLead(t);
    const decisions = () => t!.app.db.prepare('SELECT COUNT(*) FROM decisions WHERE lead_id = ?').pluck().get(leadId) as number;
    const before = decisions();
    const answer = await triage(t, APPROVER, leadId);
    expect(answer).toContain('stands');
    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('rejected');
    expect(decisions()).toBe(before);
    expect(t.hubspot!.store.contacts.size).toBe(0);
    // the fresh reading is a thread reply under the review card, with the button for approvers
    const card = t.app.db.prepare("SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = 'review'").get(leadId) as { channel: string; ts: string };
    const note = t.slack!.messages.find((m) => m.thread_ts === card.ts && JSON.stringify(m.blocks).includes(ACTION_IDS.apply_refresh));
    expect(note).toBeDefined();
    expect(JSON.stringify(note!.blocks)).toContain('The decision stands: *rejected*');
    const refreshId = t.app.db.prepare("SELECT id FROM lead_refreshes WHERE lead_id = ? AND status = 'open'").pluck().get(leadId) as string;
    expect(t.app.audit.trail(leadId).find((r) => r.event === 'reprocess_refreshed')?.actor).toBe(APPROVER);

    await click(t, STRANGER, ACTION_IDS.apply_refresh, refreshId, card.channel);
    await until(() => t!.app.audit.trail(leadId).some((r) => r.event === 'refresh_apply_refused'), 'the refusal');
    expect(decisions()).toBe(before);

    await click(t, APPROVER, ACTION_IDS.apply_refresh, refreshId, card.channel);
    await until(() => decisions() === before + 1, 'the applied decision');
    await t.settle();
    expect(t.app.db.prepare('SELECT status, resolved_by FROM lead_refreshes WHERE id = ?').get(refreshId)).toEqual({ status: 'applied', resolved_by: APPROVER });
    expect(t.app.db.prepare('SELECT decided_by FROM decisions WHERE lead_id = ? ORDER BY version DESC LIMIT 1').pluck().get(leadId)).toBe(APPROVER);
    expect(t.app.audit.trail(leadId).find((r) => r.event === 'refresh_applied')?.actor).toBe(APPROVER);
    // the free-mail buyer's fresh reading is a review again: the lead is back in the queue, not silently routed
    expect(t.app.leads.get(leadId)?.status).toBe('pending_review');
  });

  it('a decision made while a reprocess was running still stands: the run ends as a refresh', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const { body } = await t.deliver('generic', freeMailBuyer);
    const leadId = body.lead_id as string;
    await t.settle();
    // a reprocess is queued while the lead waits for review (nobody has decided yet: anyone may ask)
    await triage(t, STRANGER, leadId);
    const decisionId = t.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;
    const { db, audit, leads } = t.app;
    resolveReview({ db, audit, leads, loaded: t.loaded, decide }, { decisionId, kind: 'reject', userId: APPROVER, reason: 'spam' });
    await t.settle();
    expect(leads.get(leadId)?.status).toBe('rejected');
    expect(db.prepare('SELECT COUNT(*) FROM lead_refreshes WHERE lead_id = ?').pluck().get(leadId)).toBe(1);
    expect(t.hubspot!.store.contacts.size).toBe(0);
  });

  it('a claimed lead: strangers are refused, an approver gets a refresh, and the claim stays', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const { body } = await t.deliver('generic', { event_id: 'evt-hd-2', email: 'tom.becker@helixbio.com', name: 'Tom Becker', company: 'Helix Bio', website: 'https://helixbio.com', message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.' });
    const leadId = body.lead_id as string;
    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('routed');
    claimLead(t.app.db, t.app.audit, leadId, REP);
    await t.settle();
    expect(await triage(t, STRANGER, leadId)).toContain('already claimed this lead');
    await triage(t, APPROVER, leadId);
    await t.settle();
    expect(t.app.db.prepare('SELECT user_id FROM lead_claims WHERE lead_id = ?').pluck().get(leadId)).toBe(REP);
    const card = t.app.db.prepare("SELECT ts FROM slack_cards WHERE lead_id = ? AND card = 'lead'").pluck().get(leadId) as string;
    expect(t.slack!.messages.filter((m) => m.thread_ts === card && JSON.stringify(m.blocks).includes('Reprocessed'))).toHaveLength(1);
    expect(t.slack!.messages.filter((m) => !m.thread_ts && !m.channel.startsWith('D'))).toHaveLength(1); // DMs to the owner aside
  });
});
