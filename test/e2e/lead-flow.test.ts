import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { reprocessLead } from '../../src/pipeline/reprocess.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const buyer = {
  event_id: 'evt-buyer-1',
  email: 'tom.becker@helixbio.com',
  name: 'Tom Becker',
  company: 'Helix Bio',
  website: 'https://helixbio.com',
  message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
  utm: { source: 'google', campaign: 'q4-analytics' },
};

function clickBody(user: string, actionId: string, value: string, channel: string): string {
  const payload = {
    type: 'block_actions', team: { id: 'T0FAKE001', domain: 'fake' }, user: { id: user, username: 'u', team_id: 'T0FAKE001' },
    api_app_id: 'A0APP0001', token: 'legacy', trigger_id: 'trig-1', container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel },
    channel: { id: channel, name: 'c' }, message: { type: 'message', ts: '1700000000.000100', text: 'card' }, response_url: 'http://127.0.0.1:1/unused',
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe('a lead end to end, over HTTP, through the real SDKs and fakes', () => {
  it('routes a confident buyer once: one contact, note, task, card and email, whatever is redelivered or reprocessed', async () => {
    t = await startTestApp({ slack: true, hubspot: true, smtp: true });
    const first = await t.deliver('generic', buyer);
    expect(first).toEqual({ status: 202, body: { lead_id: expect.stringMatching(/^ld_/), status: 'enqueued' } });
    const leadId = first.body.lead_id as string;
    expect(await t.deliver('generic', buyer)).toEqual({ status: 202, body: { lead_id: leadId, status: 'duplicate' } });

    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('routed');
    const contacts = [...t.hubspot!.store.contacts.values()];
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.properties).toMatchObject({ email: 'tom.becker@helixbio.com', company: 'Helix Bio' });
    // The owner is routing's (Ana, the AE at work at the test clock's hour), never the field mapping's.
    expect(contacts[0]!.properties).toMatchObject({ hubspot_owner_id: '41629779' });
    // The lead's note, and the assignment's: who owns it and why.
    const notes = [...t.hubspot!.store.notes.values()].map((n) => String(n.properties.hs_note_body));
    expect(notes).toHaveLength(2);
    expect(notes.find((n) => n.startsWith('Assigned by lead-triage'))).toMatch(/to Slack user U0SALES001: round robin in ae pool: 1st of 8 today, weight 2 \(HubSpot owner 41629779/);
    expect(t.hubspot!.store.tasks.size).toBe(1);
    const cards = t.slack!.callsTo('chat.postMessage');
    expect(cards.map((c) => c.body.channel)).toEqual(['C0SALES001', 'D0SALES001']); // the card, then its owner's DM
    expect(t.smtp!.received.map((m) => m.to)).toEqual([['tom.becker@helixbio.com']]);
    // The card links to the HubSpot record (Hub ID from the account-info API), in place if it was posted first.
    const record = `https://app.hubspot.com/contacts/${t.hubspot!.portalId}/record/0-1/${contacts[0]!.id}|CRM record>`;
    const shown = [...cards, ...t.slack!.callsTo('chat.update')].filter((c) => c.body.channel === 'C0SALES001').map((c) => JSON.stringify(c.body.blocks));
    expect(shown.at(-1)).toContain(record);
    expect(t.hubspot!.count('GET', '/account-info/v3/details')).toBe(1);
    // The acknowledgement offers time with the person who now owns the lead.
    expect(t.app.db.prepare('SELECT text_body FROM email_messages WHERE lead_id = ?').pluck().get(leadId)).toContain('You can book a time with Ana directly: https://cal.example.com/ana');

    const stages = new Set(t.app.audit.trail(leadId).map((r) => r.stage));
    for (const stage of ['intake', 'precheck', 'enrich', 'classify', 'act']) expect(stages).toContain(stage);
    const classified = t.app.audit.trail(leadId).find((r) => r.event === 'classified')!;
    expect(classified).toMatchObject({ actor: 'offline', policy_hash: t.app.audit.trail(leadId).find((r) => r.stage === 'act')!.policy_hash });

    reprocessLead(t.app.db, t.app.audit, leadId, 'test');
    await t.settle();
    expect(t.hubspot!.store.contacts.size).toBe(1);
    expect(t.hubspot!.store.notes.size).toBe(2);
    expect(t.slack!.callsTo('chat.postMessage')).toHaveLength(2); // same queue: same owner, no second DM
    expect(t.slack!.callsTo('chat.update').length).toBeGreaterThanOrEqual(1);
    expect(t.smtp!.received).toHaveLength(1);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM decisions WHERE lead_id = ?').pluck().get(leadId)).toBe(2);
  });

  it('holds a free-mail buyer for review (confidence capped), escapes its text, and an approver click releases it', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const { body } = await t.deliver('generic', {
      event_id: 'evt-weak-1', email: 'sam.k@gmail.com', name: '<!channel> Sam', company: '<https://evil.example|Acme>',
      message: 'We are a 30-person SaaS team evaluating analytics tools. Could you send pricing for 10 seats and book a demo next week?',
    });
    const leadId = body.lead_id as string;
    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('pending_review');
    expect(t.hubspot!.store.contacts.size).toBe(0);
    const card = t.slack!.callsTo('chat.postMessage')[0]!;
    expect(card.body.channel).toBe('C0REVIEW01');
    // Slack parses mentions and links in mrkdwn objects and in the notification text; plain_text is shown literally.
    const parsed = [String(card.body.text ?? ''), ...mrkdwnTexts(card.body.blocks)].join('\n');
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).not.toContain('<https://evil.example|');
    expect(parsed).toContain('&lt;!channel&gt;');
    const held = JSON.parse(t.app.db.prepare('SELECT decision_json FROM decisions WHERE lead_id = ?').pluck().get(leadId) as string);
    expect(held).toMatchObject({ final_action: 'human_review', route: 'sales', actions: [] });
    expect(held.held_actions).toContain('crm_upsert_contact');

    const decisionId = t.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;
    const outsider = await t.slackPost(clickBody('U0OUTSIDE1', ACTION_IDS.approve, decisionId, 'C0REVIEW01'));
    expect(outsider.status).toBe(200);
    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('pending_review');

    const approve = await t.slackPost(clickBody('U0APPROVE1', ACTION_IDS.approve, decisionId, 'C0REVIEW01'));
    expect(approve.status).toBe(200);
    // Bolt acks first and works after: wait for the listener, with room for a loaded CI machine.
    for (const until = Date.now() + 15_000; Date.now() < until && t.app.leads.get(leadId)?.status === 'pending_review';) await new Promise((r) => setTimeout(r, 20));
    await t.settle();
    expect(t.app.db.prepare('SELECT status, decided_by FROM decisions WHERE id = ?').get(decisionId)).toEqual({ status: 'approved', decided_by: 'U0APPROVE1' });
    expect(t.hubspot!.store.contacts.size).toBe(1);
    const actors = t.app.audit.trail(leadId).map((r) => r.actor);
    expect(actors).toContain('U0APPROVE1');
  });

  it('answers bad requests over HTTP with why, and stores nothing for them', async () => {
    t = await startTestApp({ env: { WEBHOOK_SECRET: '' } });
    const unsigned = await fetch(`${t.url}/webhooks/typeform`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    const unconfigured = await t.deliver('generic', buyer);
    expect(unconfigured.status).toBe(503);
    expect(unconfigured.body.error).toBe('provider_not_configured');
    const huge = await t.deliver('tally', { eventType: 'FORM_RESPONSE', data: { fields: [{ label: 'x', value: 'y'.repeat(300 * 1024) }] } });
    expect(huge.status).toBe(413);
    const noEmail = await t.deliver('tally', { eventId: 'e1', eventType: 'FORM_RESPONSE', createdAt: new Date().toISOString(), data: { responseId: 'r1', fields: [{ key: 'q1', label: 'Name', type: 'INPUT_TEXT', value: 'No Email' }] } });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.field).toBe('email');
    expect((await fetch(`${t.url}/webhooks/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM leads').pluck().get()).toBe(0);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get()).toBe(0);
  });

  it('serves health, Prometheus metrics, and refuses Slack requests when Slack is not configured', async () => {
    t = await startTestApp();
    await t.deliver('generic', { ...buyer, event_id: 'evt-metrics' });
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({
      ok: true, worker_last_tick_at: null, dispatcher_last_pass_at: null, slack: 'recorded', kill_switch: false, // loops driven by hand here
    });
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ ready: true });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/lead_triage_webhooks_total\{provider="generic",status="202"\} 1/);
    expect(metrics).toContain('lead_triage_webhook_ack_seconds_bucket');
    // Read from the store: the lead is queued (nobody ran the worker), nothing is dead or waiting for review.
    expect(metrics).toMatch(/^lead_triage_jobs\{status="queued"\} 1$/m);
    expect(metrics).toMatch(/^lead_triage_leads\{status="received"\} 1$/m);
    expect(metrics).toMatch(/^lead_triage_pending_reviews 0$/m);
    expect(metrics).toMatch(/^lead_triage_oldest_queued_job_seconds \d/m);
    await t.settle();
    const after = await (await fetch(`${t.url}/metrics`)).text();
    expect(after).toMatch(/^lead_triage_jobs\{status="done"\} 1$/m);
    expect(after).toMatch(/^lead_triage_leads\{status="routed"\} 1$/m);
    expect(after).toMatch(/^lead_triage_outbox_effects\{status="done"\} \d+$/m);
    expect(after).toMatch(/^lead_triage_leads_awaiting_owner\{state="not_accepted"\} 1$/m);
    expect(after).toMatch(/^lead_triage_oldest_queued_job_seconds 0$/m);
    expect((await fetch(`${t.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(503);
  });

  it('classifies with Claude when a key is set and records tokens, cost and the classifier on the decision', async () => {
    t = await startTestApp({ anthropic: true });
    t.anthropic!.script({
      tool: {
        intent: 'buying', fit_score: 88, fit_reasoning: 'Asks for pricing for 60 seats with SSO; biotech company.', confidence: 0.92,
        recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Pricing for 60 seats with SSO.',
      },
      usage: { input_tokens: 1200, output_tokens: 180 },
    });
    const { body } = await t.deliver('generic', { ...buyer, event_id: 'evt-claude' });
    await t.settle();
    const leadId = body.lead_id as string;
    const row = t.app.audit.trail(leadId).find((r) => r.event === 'classified')!;
    expect(row).toMatchObject({ actor: 'claude', tokens_in: 1200, tokens_out: 180 });
    expect(row.cost_usd).toBeGreaterThan(0);
    expect(row.prompt_version).toMatch(/^classify\./);
    expect(t.app.db.prepare('SELECT classifier, final_action FROM decisions WHERE lead_id = ?').get(leadId)).toEqual({ classifier: 'claude', final_action: 'auto_route_sales' });
    const sent = JSON.stringify(t.anthropic!.requests[0]!.body);
    expect(sent).toContain('tom.becker@helixbio.com');
  });
});
