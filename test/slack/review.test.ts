import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS, INPUTS, encodeModalMeta } from '../../blocks/codec.ts';
import {
  APPROVER, APPROVER_2, OUTSIDER, REVIEW_CHANNEL, blockActionBody, drainSlackEffects, sampleClassification, seedLead, sendForm, settle, startHarness, viewSubmissionBody, waitFor, type Harness,
} from './harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const status = (id: string) => h.db.prepare('SELECT status, decided_by, human_json FROM decisions WHERE id = ?').get(id) as { status: string; decided_by: string | null; human_json: string | null };
const versions = (leadId: string) => h.db.prepare('SELECT COUNT(*) FROM decisions WHERE lead_id = ?').pluck().get(leadId) as number;
const ephemeralsTo = (user: string) => h.fake.callsTo('chat.postEphemeral').filter((c) => c.body.user === user);

describe('review card', () => {
  it('posts the held lead to the review channel once, with Approve / Reject / Edit buttons', async () => {
    const { leadId, decisionId } = seedLead(h);
    expect(status(decisionId).status).toBe('pending_review');
    await drainSlackEffects(h);
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(REVIEW_CHANNEL);
    expect(posts[0]!.token).toBe('xoxb-test-token');
    const ids = JSON.stringify(posts[0]!.body.blocks);
    for (const id of [ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.edit]) expect(ids).toContain(id);
    expect(h.db.prepare('SELECT channel, ts FROM slack_cards WHERE lead_id = ? AND card = ?').get(leadId, 'review')).toMatchObject({ channel: REVIEW_CHANNEL });
  });

  it('ignores a request with a bad or stale signature', async () => {
    const { decisionId } = seedLead(h);
    const body = blockActionBody(APPROVER, ACTION_IDS.approve, decisionId);
    expect((await sendForm(h, body, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await sendForm(h, body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    await settle();
    expect(status(decisionId).status).toBe('pending_review');
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('approve with no proposed route: the card offers only Edit & approve and Reject, and a click changes nothing', async () => {
    const { leadId, decisionId } = seedLead(h, undefined, sampleClassification({ intent: 'unclear', recommended_action: 'human_review', assigned_to: null, confidence: 0.3 }));
    await drainSlackEffects(h);
    const card = JSON.stringify(h.fake.callsTo('chat.postMessage')[0]!.body.blocks);
    expect(card).not.toContain(ACTION_IDS.approve);
    expect(card).toContain(ACTION_IDS.edit);
    expect(card).toContain('The agent proposed no route');
    // A crafted or stale Approve is refused by the server, not just hidden by the card.
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.approve, decisionId));
    const eph = await waitFor(() => ephemeralsTo(APPROVER)[0]);
    expect(String(eph.body.text)).toMatch(/Nothing to approve/);
    expect(status(decisionId).status).toBe('pending_review');
    expect(versions(leadId)).toBe(1);
    expect(h.db.prepare("SELECT COUNT(*) FROM audit_log WHERE lead_id = ? AND event = 'review_approve'").pluck().get(leadId)).toBe(0);
  });

  it('refuses a non-approver with an ephemeral and changes nothing', async () => {
    const { decisionId } = seedLead(h);
    const res = await sendForm(h, blockActionBody(OUTSIDER, ACTION_IDS.approve, decisionId));
    expect(res.status).toBe(200);
    const eph = await waitFor(() => ephemeralsTo(OUTSIDER)[0]);
    expect(String(eph.body.text)).toMatch(/Only approvers/);
    expect(status(decisionId).status).toBe('pending_review');
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'slack_update_card'").pluck().get()).toBe(0);
    expect(h.db.prepare("SELECT actor FROM audit_log WHERE event = 'review_refused'").pluck().get()).toBe(OUTSIDER);
  });

  it('approve executes the held actions through the outbox and updates the card in place', async () => {
    const { leadId, decisionId } = seedLead(h);
    await drainSlackEffects(h);
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.approve, decisionId));
    await waitFor(() => status(decisionId).status === 'approved');
    expect(status(decisionId).decided_by).toBe(APPROVER);
    expect(versions(leadId)).toBe(2);
    const v2 = h.db.prepare('SELECT status, decision_json, human_json FROM decisions WHERE lead_id = ? AND version = 2').get(leadId) as { status: string; decision_json: string; human_json: string };
    expect(v2.status).toBe('executed');
    expect(JSON.parse(v2.human_json)).toMatchObject({ kind: 'approve', user_id: APPROVER });
    const kinds = h.db.prepare('SELECT kind FROM outbox WHERE decision_id != ? ORDER BY id').pluck().all(decisionId);
    expect(kinds).toEqual(expect.arrayContaining(['crm_upsert_contact', 'slack_lead_card', 'slack_update_card']));
    expect(h.db.prepare("SELECT actor FROM audit_log WHERE event = 'review_approve'").pluck().get()).toBe(APPROVER);

    await drainSlackEffects(h);
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts.map((p) => p.body.channel)).toEqual([REVIEW_CHANNEL, 'C0SALES001']);
    const updates = h.fake.callsTo('chat.update');
    const reviewUpdate = updates.find((u) => u.body.channel === REVIEW_CHANNEL)!;
    expect(JSON.stringify(reviewUpdate.body.blocks)).toContain(`Approved by <@${APPROVER}>`);
    expect(JSON.stringify(reviewUpdate.body.blocks)).not.toContain(ACTION_IDS.approve);
  });

  it('re-checks every click against the policy: while paused, an approval executes nothing', async () => {
    const { leadId, decisionId } = seedLead(h);
    h.db.prepare("INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('kill_switch', 'on', ?, ?)").run(APPROVER, new Date().toISOString());
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.approve, decisionId));
    await waitFor(() => status(decisionId).status === 'approved');
    const v2 = h.db.prepare('SELECT id, decision_json FROM decisions WHERE lead_id = ? AND version = 2').get(leadId) as { id: string; decision_json: string };
    expect(JSON.parse(v2.decision_json)).toMatchObject({ final_action: 'hold', actions: [] });
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox WHERE decision_id = ? AND kind LIKE 'crm_%'").pluck().get(v2.id)).toBe(0);
  });

  it('a double click or two approvers at once produce one effect; the loser is told who won', async () => {
    const { leadId, decisionId } = seedLead(h);
    await Promise.all([
      sendForm(h, blockActionBody(APPROVER, ACTION_IDS.approve, decisionId)),
      sendForm(h, blockActionBody(APPROVER_2, ACTION_IDS.approve, decisionId)),
      sendForm(h, blockActionBody(APPROVER, ACTION_IDS.approve, decisionId)),
    ]);
    const losers = await waitFor(() => (h.fake.callsTo('chat.postEphemeral').length === 2 ? h.fake.callsTo('chat.postEphemeral') : null));
    const winner = status(decisionId).decided_by!;
    expect([APPROVER, APPROVER_2]).toContain(winner);
    // The other approver is told who won; the winner's own second click is told it already counted.
    for (const l of losers) {
      expect(String(l.body.text)).toContain(l.body.user === winner ? 'You already approved this lead' : `Already handled by <@${winner}>`);
    }
    expect(versions(leadId)).toBe(2);
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox WHERE kind = 'slack_update_card'").pluck().get()).toBe(1);
    expect(h.db.prepare("SELECT COUNT(*) FROM audit_log WHERE event = 'review_approve'").pluck().get()).toBe(1);
    // Counted once in /metrics too: the losing clicks are not decisions.
    expect((await h.metrics.humanDecisions.get()).values).toEqual([{ value: 1, labels: { decision: 'approve' } }]);
  });

  it('reject opens a modal, records the reason, and shows who rejected', async () => {
    const { leadId, decisionId } = seedLead(h);
    await drainSlackEffects(h);
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.reject, decisionId));
    const open = await waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACK_IDS.reject);
    expect(status(decisionId).status).toBe('pending_review');

    const empty = await sendForm(h, viewSubmissionBody(APPROVER, { ...view, state: { values: { [INPUTS.reason.block]: { [INPUTS.reason.action]: { type: 'plain_text_input', value: '  ' } } } } }));
    expect(await empty.json()).toMatchObject({ response_action: 'errors' });

    const reason = 'Student project, not a buyer';
    await sendForm(h, viewSubmissionBody(APPROVER, { ...view, state: { values: { [INPUTS.reason.block]: { [INPUTS.reason.action]: { type: 'plain_text_input', value: reason } } } } }));
    await waitFor(() => status(decisionId).status === 'rejected');
    expect(JSON.parse(status(decisionId).human_json!)).toMatchObject({ kind: 'reject', reason });
    const v2 = JSON.parse(h.db.prepare('SELECT decision_json FROM decisions WHERE lead_id = ? AND version = 2').pluck().get(leadId) as string);
    expect(v2.actions).toContain('reject_lead');
    // Sealed in the table (it is a person's words about a lead); the trail opens it.
    expect(h.db.prepare("SELECT reason FROM audit_log WHERE event = 'review_reject'").pluck().get()).toMatch(/^sealed:v1:/);
    expect(h.audit.trail(leadId).find((r) => r.event === 'review_reject')?.reason).toBe(reason);
    await drainSlackEffects(h);
    const update = h.fake.callsTo('chat.update')[0]!;
    expect(JSON.stringify(update.body.blocks)).toContain(`Rejected by <@${APPROVER}>`);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect((await h.metrics.humanDecisions.get()).values).toEqual([{ value: 1, labels: { decision: 'reject' } }]);
  });

  it('edit & approve stores the override beside the agent output and routes as corrected', async () => {
    const { leadId, decisionId } = seedLead(h);
    await sendForm(h, blockActionBody(APPROVER, ACTION_IDS.edit, decisionId));
    const open = await waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACK_IDS.edit);
    const sel = (v: string) => ({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: v }, value: v } });
    const values = {
      [INPUTS.intent.block]: { [INPUTS.intent.action]: sel('support') },
      [INPUTS.route.block]: { [INPUTS.route.action]: sel('support') },
      [INPUTS.owner.block]: { [INPUTS.owner.action]: { type: 'users_select', selected_user: 'U0SUPPORT9' } },
      [INPUTS.priority.block]: { [INPUTS.priority.action]: sel('low') },
      [INPUTS.reason.block]: { [INPUTS.reason.action]: { type: 'plain_text_input', value: 'Existing customer asking for help' } },
    };
    await sendForm(h, viewSubmissionBody(APPROVER, { ...view, state: { values } }));
    await waitFor(() => status(decisionId).status === 'approved');
    const v2 = h.db.prepare('SELECT decision_json, classification_json, human_json FROM decisions WHERE lead_id = ? AND version = 2').get(leadId) as Record<string, string>;
    expect(JSON.parse(v2.human_json!)).toMatchObject({ kind: 'edit', override: { intent: 'support', route: 'support', priority: 'low', owner: 'U0SUPPORT9' } });
    expect(JSON.parse(v2.classification_json!).classification).toMatchObject({ intent: 'buying', assigned_to: 'sales' });
    expect(JSON.parse(v2.decision_json!)).toMatchObject({ route: 'support', priority: 'low' });
    await drainSlackEffects(h);
    expect(h.fake.callsTo('chat.postMessage').map((p) => p.body.channel)).toContain('C0SUPPORT1');
  });

  it('a forged edit value outside the option lists changes nothing', async () => {
    const { decisionId } = seedLead(h);
    const view = { callback_id: CALLBACK_IDS.edit, private_metadata: encodeModalMeta({ target: decisionId, channel: REVIEW_CHANNEL }) };
    const values = {
      [INPUTS.route.block]: { [INPUTS.route.action]: { type: 'static_select', selected_option: { value: 'ceo' } } },
      [INPUTS.reason.block]: { [INPUTS.reason.action]: { type: 'plain_text_input', value: 'x' } },
    };
    await sendForm(h, viewSubmissionBody(APPROVER, { ...view, state: { values } }));
    await waitFor(() => ephemeralsTo(APPROVER)[0]);
    expect(status(decisionId).status).toBe('pending_review');
  });

  it('a non-approver cannot open the reject modal or submit one', async () => {
    const { decisionId } = seedLead(h);
    await sendForm(h, blockActionBody(OUTSIDER, ACTION_IDS.reject, decisionId));
    await waitFor(() => ephemeralsTo(OUTSIDER)[0]);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    const view = { callback_id: CALLBACK_IDS.reject, private_metadata: encodeModalMeta({ target: decisionId, channel: REVIEW_CHANNEL }) };
    await sendForm(h, viewSubmissionBody(OUTSIDER, { ...view, state: { values: { [INPUTS.reason.block]: { [INPUTS.reason.action]: { value: 'nope' } } } } }));
    await waitFor(() => ephemeralsTo(OUTSIDER)[1]);
    expect(status(decisionId).status).toBe('pending_review');
  });
});
