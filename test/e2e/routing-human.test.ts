import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS, INPUTS } from '../../blocks/codec.ts';
import { currentAssignment, type AssignmentRow } from '../../src/routing/ledger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { blockActionBody, viewSubmissionBody, waitFor } from '../slack/harness.ts';

// A person's choice stands over routing: Edit & approve's owner picker, and Reassign on the card.
// Default clock 10:00Z: round robin would give Ana (Berlin) the lead; Ben (New York) is off hours.

const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const APPROVER = 'U0APPROVE1';
const SALES = 'C0SALES001';
const REVIEW = 'C0REVIEW01';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});


type View = { callback_id: string; private_metadata: string };

/** Clicks a button and returns the modal it opened. */
async function openModal(app: TestApp, user: string, actionId: string, value: string, channel: string): Promise<View> {
  const opened = app.slack!.callsTo('views.open').length;
  expect((await app.slackPost(blockActionBody(user, actionId, value, channel))).status).toBe(200);
  const call = await waitFor(() => app.slack!.callsTo('views.open')[opened]);
  return call.body.view as View;
}

const rows = (app: TestApp, leadId: string) => app.app.db.prepare('SELECT * FROM assignments WHERE lead_id = ? ORDER BY id').all(leadId) as AssignmentRow[];
const why = (reason: string | null | undefined) => String(reason ?? '').split(' — considered: ')[0];
const dmsTo = (app: TestApp, channel: string) => app.slack!.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const contact = (app: TestApp, email: string) => app.hubspot!.all('contacts').find((c) => c.properties['email'] === email);

describe("Edit & approve's owner picker", () => {
  it('assigns the lead to the chosen owner (via human), even one off hours, and tells them', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const { body } = await t.deliver('generic', {
      event_id: 'evt-edit-owner', email: 'sam.k@gmail.com', name: 'Sam K',
      message: 'We are a 30-person SaaS team evaluating analytics tools. Could you send pricing for 10 seats and book a demo next week?',
    });
    const leadId = body.lead_id as string;
    await t.settle();
    expect(t.app.leads.get(leadId)?.status).toBe('pending_review');
    expect(currentAssignment(t.app.db, leadId)).toBeNull();
    const decisionId = t.app.db.prepare("SELECT id FROM decisions WHERE lead_id = ? AND status = 'pending_review'").pluck().get(leadId) as string;

    const view = await openModal(t, APPROVER, ACTION_IDS.edit, decisionId, REVIEW);
    expect(view.callback_id).toBe(CALLBACK_IDS.edit);
    const values = {
      [INPUTS.reason.block]: { [INPUTS.reason.action]: { type: 'plain_text_input', value: 'Real team, Ben knows them' } },
      [INPUTS.route.block]: { [INPUTS.route.action]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'sales' }, value: 'sales' } } },
      [INPUTS.owner.block]: { [INPUTS.owner.action]: { type: 'users_select', selected_user: BEN } },
    };
    expect((await t.slackPost(viewSubmissionBody(APPROVER, { ...view, state: { values } }))).status).toBe(200);
    await waitFor(() => currentAssignment(t!.app.db, leadId));
    await t.settle();

    expect(t.app.leads.get(leadId)?.status).toBe('routed');
    const a = currentAssignment(t.app.db, leadId)!;
    expect(a).toMatchObject({ user_id: BEN, via: 'human', queue: 'sales', rotation: 1 });
    expect(a.reason).toBe(`chosen by ${APPROVER} in Edit & approve`);
    const audited = t.app.audit.trail(leadId).find((r) => r.event === 'assigned')!;
    expect(audited).toMatchObject({ actor: APPROVER, decision: 'human' });
    expect(why(audited.reason)).toContain(APPROVER);

    expect(dmsTo(t, 'D0SALES002')).toHaveLength(1);
    expect(dmsTo(t, 'D0SALES001')).toHaveLength(0);
    expect(JSON.stringify(t.slack!.callsTo('chat.postMessage').find((c) => c.body.channel === SALES)!.body.blocks)).toContain(`<@${BEN}>`);
    expect(contact(t, 'sam.k@gmail.com')?.properties['hubspot_owner_id']).toBe('41629780');
  });
});

describe('Reassign on the card', () => {
  async function routedToAna(app: TestApp): Promise<string> {
    const { body } = await app.deliver('generic', {
      event_id: 'evt-reassign', email: 'tom.becker@helixbio.com', name: 'Tom Becker', company: 'Helix Bio', website: 'https://helixbio.com',
      message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
    });
    const leadId = body.lead_id as string;
    await app.settle();
    expect(currentAssignment(app.app.db, leadId)).toMatchObject({ user_id: ANA, via: 'round_robin', rotation: 1 });
    return leadId;
  }

  async function reassign(app: TestApp, leadId: string, by: string, to: string): Promise<void> {
    const view = await openModal(app, by, ACTION_IDS.reassign, leadId, SALES);
    expect(view.callback_id).toBe(CALLBACK_IDS.reassign);
    const values = { [INPUTS.assignee.block]: { [INPUTS.assignee.action]: { type: 'users_select', selected_user: to } } };
    expect((await app.slackPost(viewSubmissionBody(by, { ...view, state: { values } }))).status).toBe(200);
  }

  it('by an approver: assigns the chosen person, audits it, credits Ana back and DMs the new owner', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const leadId = await routedToAna(t);
    expect(dmsTo(t, 'D0SALES001')).toHaveLength(1);
    expect(contact(t, 'tom.becker@helixbio.com')?.properties['hubspot_owner_id']).toBe('41629779');

    await reassign(t, leadId, APPROVER, BEN);
    await waitFor(() => currentAssignment(t!.app.db, leadId)?.user_id === BEN);
    await t.settle();

    const [ana, ben, ...more] = rows(t, leadId);
    expect(more).toHaveLength(0);
    expect(ana).toMatchObject({ user_id: ANA, credited: 1, credit_reason: `reassigned by ${APPROVER}`, ended_reason: `reassigned by ${APPROVER}` });
    expect(ana!.ended_at).not.toBeNull();
    expect(ben).toMatchObject({ user_id: BEN, via: 'human', rotation: 1, credited: 0, ended_at: null, accepted_at: null, reason: `reassigned by ${APPROVER}` });

    const assigned = t.app.audit.trail(leadId).filter((r) => r.event === 'assigned');
    expect(assigned.map((r) => r.actor)).toEqual(['system', APPROVER]);
    expect(assigned[1]).toMatchObject({ decision: 'human' });
    expect(JSON.parse(assigned[1]!.output_json!)).toMatchObject({ user: BEN, via: 'human', queue: 'sales' });
    expect(t.app.audit.trail(leadId).find((r) => r.event === 'lead_reassigned')).toMatchObject({ actor: APPROVER });

    const dm = dmsTo(t, 'D0SALES002');
    expect(dm).toHaveLength(1);
    expect(String(dm[0]!.body.text)).toContain('You own a new lead: Helix Bio');
    expect(JSON.stringify(dm[0]!.body.blocks)).toContain(`reassigned by ${APPROVER}`);
    // The card now names Ben; the app set Ana as HubSpot owner, so it moves the owner too.
    expect(JSON.stringify(t.slack!.callsTo('chat.update').at(-1)!.body.blocks)).toContain(`<@${BEN}>`);
    expect(contact(t, 'tom.becker@helixbio.com')?.properties['hubspot_owner_id']).toBe('41629780');
  });

  // The button and the submission both ask who holds the lead now (assignee, else claimer): a round-robin
  // assignee who never pressed Take this lead may hand it on.
  it('by the current assignee (not an approver): hands the lead on', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const leadId = await routedToAna(t);
    await reassign(t, leadId, ANA, BEN);
    await waitFor(() => currentAssignment(t!.app.db, leadId)?.user_id === BEN || t!.slack!.callsTo('chat.postEphemeral').length > 0);
    expect(t.slack!.callsTo('chat.postEphemeral').map((c) => c.body.text)).toEqual([]);
    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ user_id: BEN, via: 'human', reason: `reassigned by ${ANA}` });
  });
});
