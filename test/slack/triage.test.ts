import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { APPROVER, OUTSIDER, blockActionBody, commandBody, eventBody, sampleClassification, sampleLead, seedLead, sendForm, sendJson, startHarness, waitFor, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

/** Sends `/triage <text>` and returns what the bot answered on the command's response_url. */
async function triage(text: string, user = APPROVER): Promise<{ text: string; blocks: string; response_type: unknown }> {
  const before = h.fake.callsTo('response_url').length;
  const res = await sendForm(h, commandBody(h, user, text));
  expect(res.status).toBe(200);
  const call = await waitFor(() => h.fake.callsTo('response_url')[before]);
  return { text: String(call.body.text), blocks: JSON.stringify(call.body.blocks ?? []), response_type: call.body.response_type };
}

describe('/triage', () => {
  it('help and unknown input answer with usage, ephemerally', async () => {
    const help = await triage('help');
    expect(help.response_type).toBe('ephemeral');
    expect(help.blocks).toContain('/triage status');
    const unknown = await triage('frobnicate the <!channel> now');
    expect(unknown.blocks).toContain('Unknown command');
    expect(unknown.blocks).toContain('&lt;!channel&gt;');
    expect(unknown.blocks).not.toContain('<!channel>');
  });

  it('policy shows the active version and hash, the last replay, the shadow and the week\'s overrides', async () => {
    const before = await triage('policy');
    expect(before.blocks).toContain(h.loaded.hash);
    expect(before.blocks).toContain('*Last replay*: none yet');
    expect(before.blocks).toContain('*Shadow*: none deciding');
    expect(before.blocks).toContain('Overrides this week: 0 of 0 reviews');
    const summary = { final_actions: [{ action: 'auto_route_sales', before: 3, after: 1 }, { action: 'human_review', before: 1, after: 3 }, { action: 'auto_reject_spam', before: 1, after: 1 }] };
    h.db.prepare('INSERT INTO replays (id, at, candidate_hash, since, leads, changed, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('rp_1', '2026-12-01T09:00:00.000Z', 'c0ffee00c0ffee00', '30d', 5, 2, JSON.stringify(summary));
    const after = await triage('policy');
    expect(after.blocks).toContain('candidate `c0ffee00c0ffee00` over 5 leads (last 30d), 2 would change');
    expect(after.blocks).toContain('auto_route_sales: 3 → 1');
    expect(after.blocks).not.toContain('auto_reject_spam: 1 → 1');
  });

  it('queue lists pending reviews; status shows the audit trail', async () => {
    const { leadId } = seedLead(h);
    const queue = await triage('queue');
    expect(queue.blocks).toContain('Pending reviews (1)');
    expect(queue.blocks).toContain(leadId);
    const status = await triage(`status ${leadId}`);
    expect(status.blocks).toContain('decision_committed');
    const byEmail = await triage('status <mailto:dana@bigco.example|dana@bigco.example>');
    expect(byEmail.blocks).toContain(leadId);
    expect((await triage('status nobody@nowhere.example')).blocks).toContain('No lead found');
  });

  it('reprocesses a lead by id or email through the pipeline hook', async () => {
    const { leadId } = seedLead(h);
    const reply = await triage('dana@bigco.example');
    expect(reply.blocks).toContain('Reprocessing');
    expect(h.reprocessed).toEqual([{ leadId, actor: APPROVER }]);
    await triage(leadId, OUTSIDER);
    expect(h.reprocessed[1]).toEqual({ leadId, actor: OUTSIDER });
  });

  it('pause and resume flip the runtime kill switch for approvers only', async () => {
    const refused = await triage('pause', OUTSIDER);
    expect(refused.blocks).toContain('Only approvers');
    expect(h.db.prepare("SELECT value FROM settings WHERE key = 'kill_switch'").pluck().get()).toBeUndefined();
    const paused = await triage('pause');
    expect(paused.blocks).toContain('nothing is done or sent automatically'); // says what really happens, not "held for review"
    expect(h.db.prepare("SELECT value, updated_by FROM settings WHERE key = 'kill_switch'").get()).toEqual({ value: 'on', updated_by: APPROVER });
    // A lead that arrives while paused is stored unread, and the queue lists it as waiting for the resume.
    const waiting = 'ld_waiting_0001';
    h.db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
      VALUES (?, 'generic', 'late@northwind.example', 'northwind.example', NULL, 'h', '{"company":"Northwind <!here>"}', 'received', 'c', ?, ?)`).run(waiting, new Date().toISOString(), new Date().toISOString());
    const queue = await triage('queue');
    expect(queue.blocks).toContain('Paused: waiting to be read (1)');
    expect(queue.blocks).toContain(waiting);
    expect(queue.blocks).toContain('Northwind &lt;!here&gt;');
    await triage('resume');
    expect(h.db.prepare("SELECT value FROM settings WHERE key = 'kill_switch'").pluck().get()).toBe('off');
    expect(h.db.prepare("SELECT event FROM audit_log WHERE stage = 'review' AND lead_id IS NULL ORDER BY id").pluck().all()).toEqual(['kill_switch_on', 'kill_switch_off']);
  });

  it('stats reports volume, automatic and review rates, and time to first touch and claim', async () => {
    h.clock.set(Date.now()); // claims are stamped by the app clock; leads here arrive on the real one
    const held = seedLead(h);
    seedLead(h, sampleLead({ email: 'eve@other.example' }), sampleClassification({ confidence: 0.95 }));
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.claim, held.leadId));
    await waitFor(() => h.db.prepare('SELECT 1 FROM lead_claims').get());
    const stats = await triage('stats');
    expect(stats.blocks).toContain('Last 24 h');
    expect(stats.blocks).toContain('Last 7 days');
    expect(stats.blocks).toContain('*Leads*\\n2');
    expect(stats.blocks).toContain('*Automatic actions*\\n50%');
    expect(stats.blocks).toContain('*Sent to review*\\n50%');
    expect(stats.blocks).toMatch(/Median to claim\*\\n\d+ min/);
  });
});

describe('App Home', () => {
  it('publishes pending reviews, my claimed leads and today\'s figures', async () => {
    seedLead(h);
    const res = await sendJson(h, eventBody({ type: 'app_home_opened', user: APPROVER, channel: 'D0HOME0001', tab: 'home', event_ts: `${Date.now() / 1000}` }));
    expect(res.status).toBe(200);
    const publish = await waitFor(() => h.fake.callsTo('views.publish')[0]);
    expect(publish.body.user_id).toBe(APPROVER);
    const view = JSON.stringify(publish.body.view);
    expect(view).toContain('Pending reviews (1)');
    expect(view).toContain('Your claimed leads');
    expect(view).toContain('Today (UTC)');
  });
});
