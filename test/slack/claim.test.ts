import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS, INPUTS } from '../../blocks/codec.ts';
import { APPROVER, OUTSIDER, blockActionBody, drainSlackEffects, sampleClassification, seedLead, sendForm, startHarness, viewSubmissionBody, waitFor, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const REP = 'U0REP00001';
const REP_2 = 'U0REP00002';

/** A confident lead is routed automatically: its card goes straight to the sales channel. */
function routedLead() {
  return seedLead(h, undefined, sampleClassification({ confidence: 0.95 }));
}

describe('Take this lead', () => {
  it('posts the routed lead to its queue channel with Take this lead and Reassign', async () => {
    routedLead();
    await drainSlackEffects(h);
    const [post] = h.fake.callsTo('chat.postMessage');
    expect(post!.body.channel).toBe('C0SALES001');
    expect(JSON.stringify(post!.body.blocks)).toContain(ACTION_IDS.claim);
    expect(JSON.stringify(post!.body.blocks)).toContain(ACTION_IDS.reassign);
  });

  it('assigns the clicker in the CRM and on the card; a second clicker is told who has it', async () => {
    const { leadId } = routedLead();
    await drainSlackEffects(h);
    await Promise.all([
      sendForm(h, blockActionBody(REP, ACTION_IDS.claim, leadId, 'C0SALES001')),
      sendForm(h, blockActionBody(REP_2, ACTION_IDS.claim, leadId, 'C0SALES001')),
    ]);
    const ephemerals = await waitFor(() => (h.fake.callsTo('chat.postEphemeral').length === 2 ? h.fake.callsTo('chat.postEphemeral') : null));
    const owner = h.db.prepare('SELECT user_id FROM lead_claims WHERE lead_id = ?').pluck().get(leadId) as string;
    expect([REP, REP_2]).toContain(owner);
    const told = Object.fromEntries(ephemerals.map((e) => [String(e.body.user), String(e.body.text)]));
    expect(told[owner === REP ? REP_2 : REP]).toContain(`Already taken by <@${owner}>`);
    expect(told[owner]).toContain('This lead is yours'); // the winner hears it worked
    // Routing gave the lead to Ana (the one AE at work); the winning click moved it to the clicker.
    const assigns = h.db.prepare("SELECT payload_json FROM outbox WHERE kind = 'crm_assign_owner' ORDER BY id").pluck().all() as string[];
    expect(assigns.map((p) => JSON.parse(p).slack_user_id)).toEqual(['U0SALES001', owner]);
    expect(h.db.prepare("SELECT actor FROM audit_log WHERE event = 'lead_claimed'").pluck().all()).toEqual([owner]);
    expect((await h.metrics.claims.get()).values).toEqual([{ value: 1, labels: { how: 'take_this_lead' } }]);

    await drainSlackEffects(h);
    const update = h.fake.callsTo('chat.update')[0]!;
    expect(update.body.channel).toBe('C0SALES001');
    expect(JSON.stringify(update.body.blocks)).toContain(`Claimed by <@${owner}>`);
    expect(JSON.stringify(update.body.blocks)).not.toContain(ACTION_IDS.claim);
    expect(h.fake.callsTo('chat.postMessage').filter((p) => p.body.channel === 'C0SALES001')).toHaveLength(1);
  });

  it('reassign is refused to others and moves the lead when the owner asks', async () => {
    const { leadId } = routedLead();
    await sendForm(h, blockActionBody(REP, ACTION_IDS.claim, leadId, 'C0SALES001'));
    await waitFor(() => h.db.prepare('SELECT 1 FROM lead_claims WHERE lead_id = ?').get(leadId));
    await sendForm(h, blockActionBody(OUTSIDER, ACTION_IDS.reassign, leadId, 'C0SALES001'));
    const refusal = await waitFor(() => h.fake.callsTo('chat.postEphemeral').find((e) => e.body.user === OUTSIDER));
    expect(String(refusal.body.text)).toMatch(/current owner or an approver/);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);

    await sendForm(h, blockActionBody(REP, ACTION_IDS.reassign, leadId, 'C0SALES001'));
    const open = await waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(CALLBACK_IDS.reassign);
    const values = { [INPUTS.assignee.block]: { [INPUTS.assignee.action]: { type: 'users_select', selected_user: APPROVER } } };
    await sendForm(h, viewSubmissionBody(REP, { ...view, state: { values } }));
    await waitFor(() => h.db.prepare('SELECT user_id FROM lead_claims WHERE lead_id = ?').pluck().get(leadId) === APPROVER);
    const assigns = (h.db.prepare("SELECT payload_json FROM outbox WHERE kind = 'crm_assign_owner' ORDER BY id").pluck().all() as string[]).map((p) => JSON.parse(p));
    expect(assigns.map((a) => a.slack_user_id)).toEqual(['U0SALES001', REP, APPROVER]);
  });
});
