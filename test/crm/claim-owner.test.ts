import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS, INPUTS } from '../../blocks/codec.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { blockActionBody, viewSubmissionBody } from '../slack/harness.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const REP = 'U0REP00001';
const REP_2 = 'U0REP00002';
const APPROVER = 'U0APPROVE1';
const SALES = 'C0SALES001';

function buyer(n: number) {
  return {
    event_id: `evt-owner-${n}`, email: `buyer${n}@helixbio.com`, name: `Buyer ${n}`, company: 'Helix Bio', website: 'https://helixbio.com',
    message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
  };
}

// Routing is left out (assign_owner not allowed), so the claim is the only thing that sets an owner here.
async function start(ownerMap: Record<string, string> = {}): Promise<TestApp> {
  t = await startTestApp({
    slack: true, hubspot: true,
    policy: (text) => text.replace('"owner_map": {}', `"owner_map": ${JSON.stringify(ownerMap)}`).replace('"assign_owner", ', ''),
  });
  return t;
}

async function until<T>(fn: () => T | undefined | null | false, what: string): Promise<T> {
  for (const end = Date.now() + 15_000; Date.now() < end;) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A routed lead whose card is in the sales channel. */
async function routedLead(app: TestApp, n = 1): Promise<string> {
  const { body } = await app.deliver('generic', buyer(n));
  await app.settle();
  expect(app.app.leads.get(body.lead_id as string)?.status).toBe('routed');
  return body.lead_id as string;
}

const claimant = (app: TestApp, leadId: string) => app.app.db.prepare('SELECT user_id FROM lead_claims WHERE lead_id = ?').pluck().get(leadId) as string | undefined;

async function claim(app: TestApp, leadId: string, user: string): Promise<void> {
  expect((await app.slackPost(blockActionBody(user, ACTION_IDS.claim, leadId, SALES))).status).toBe(200);
  await until(() => claimant(app, leadId) === user, 'the claim');
  await app.settle();
}

async function reassign(app: TestApp, leadId: string, by: string, to: string): Promise<void> {
  const opened = app.slack!.callsTo('views.open').length;
  await app.slackPost(blockActionBody(by, ACTION_IDS.reassign, leadId, SALES));
  const open = await until(() => app.slack!.callsTo('views.open')[opened], 'the reassign modal');
  const view = open.body.view as { callback_id: string; private_metadata: string };
  expect(view.callback_id).toBe(CALLBACK_IDS.reassign);
  const values = { [INPUTS.assignee.block]: { [INPUTS.assignee.action]: { type: 'users_select', selected_user: to } } };
  await app.slackPost(viewSubmissionBody(by, { ...view, state: { values } }));
  await until(() => claimant(app, leadId) === to, 'the reassignment');
  await app.settle();
}

const contactOf = (app: TestApp, n = 1) => [...app.hubspot!.store.contacts.values()].find((c) => c.properties['email'] === `buyer${n}@helixbio.com`)!;
const notes = (app: TestApp) => [...app.hubspot!.store.notes.values()].map((n) => String(n.properties['hs_note_body']));
// What the clicker hears about the CRM owner (the claim itself is confirmed to them separately).
const ephemerals = (app: TestApp, user: string) => app.slack!.callsTo('chat.postEphemeral').filter((c) => c.body.user === user && String(c.body.text).includes('owner'));

describe('Take this lead sets the HubSpot owner', () => {
  it('uses the policy owner_map first, without asking Slack for an email', async () => {
    const app = await start({ [REP]: '4242' });
    const leadId = await routedLead(app);
    await claim(app, leadId, REP);
    expect(contactOf(app).properties['hubspot_owner_id']).toBe('4242');
    expect(notes(app).some((n) => n.includes(`Claimed in Slack by user ${REP} (HubSpot owner 4242, matched by the policy owner_map)`))).toBe(true);
    expect(app.slack!.callsTo('users.info')).toHaveLength(0);
    expect(ephemerals(app, REP)).toHaveLength(0);
  });

  it('matches the clicker\'s Slack email to a HubSpot owner, and remembers the answer', async () => {
    const app = await start();
    const owner = app.hubspot!.seedOwner({ email: 'Rep.One@acme-analytics.example', firstName: 'Rep', lastName: 'One' });
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    const first = await routedLead(app, 1);
    const second = await routedLead(app, 2);
    await claim(app, first, REP);
    await claim(app, second, REP);
    expect(contactOf(app, 1).properties['hubspot_owner_id']).toBe(owner.id);
    expect(contactOf(app, 2).properties['hubspot_owner_id']).toBe(owner.id);
    // the second claim is answered from the cache: one users.info, one owners lookup
    expect(app.slack!.callsTo('users.info').map((c) => c.body.user)).toEqual([REP]);
    expect(app.hubspot!.count('GET', '/crm/v3/owners/')).toBe(1);
    const result = JSON.parse(app.app.db.prepare("SELECT result_json FROM outbox WHERE kind = 'crm_assign_owner' AND lead_id = ?").pluck().get(first) as string);
    expect(result).toMatchObject({ crm: 'hubspot', owner_id: owner.id, owner_via: 'email' });
  });

  it('leaves the owner unchanged when nobody matches, says why in the note and tells the clicker', async () => {
    const app = await start();
    app.hubspot!.seedOwner({ email: 'someone.else@acme-analytics.example' });
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    const leadId = await routedLead(app);
    await claim(app, leadId, REP);
    expect(contactOf(app).properties).not.toHaveProperty('hubspot_owner_id');
    expect(app.app.db.prepare("SELECT status FROM outbox WHERE kind = 'crm_assign_owner'").pluck().get()).toBe('done');
    expect(notes(app).some((n) => n.includes(`Claimed in Slack by user ${REP}. HubSpot owner unchanged: no active HubSpot owner has the claimer's Slack email`))).toBe(true);
    const [told] = ephemerals(app, REP);
    expect(told?.body.channel).toBe(SALES);
    expect(String(told?.body.text)).toContain('HubSpot owner unchanged: no active HubSpot owner');
    expect(app.app.audit.trail(leadId).find((r) => r.event === 'crm_owner_unchanged')).toMatchObject({ reason: expect.stringContaining('no active HubSpot owner') });
  });

  it('degrades to a note when Slack does not know the user', async () => {
    const app = await start();
    const leadId = await routedLead(app);
    app.slack!.failNext('users.info', { error: 'user_not_found' });
    await claim(app, leadId, REP);
    expect(contactOf(app).properties).not.toHaveProperty('hubspot_owner_id');
    expect(notes(app).some((n) => n.includes('HubSpot owner unchanged: Slack does not show this user (user_not_found)'))).toBe(true);
  });

  it('never replaces an owner someone set in HubSpot, and tells the clicker who owns it', async () => {
    const app = await start();
    const olga = app.hubspot!.seedOwner({ email: 'olga@acme-analytics.example', firstName: 'Olga', lastName: '<Owner>' });
    app.hubspot!.seedOwner({ email: 'rep.one@acme-analytics.example' });
    app.hubspot!.seed('contacts', { email: 'buyer1@helixbio.com', hubspot_owner_id: olga.id });
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    const leadId = await routedLead(app);
    await claim(app, leadId, REP);
    expect(contactOf(app).properties['hubspot_owner_id']).toBe(olga.id);
    expect(app.hubspot!.count('PATCH', `/crm/v3/objects/contacts/${contactOf(app).id}`)).toBe(0);
    const [told] = ephemerals(app, REP);
    // the owner's name comes from HubSpot: escaped before it reaches mrkdwn
    expect(String(told?.body.text)).toContain('HubSpot owner unchanged: contact already owned by Olga &lt;Owner&gt;');
    expect(notes(app).some((n) => n.includes('contact already owned by Olga <Owner>'))).toBe(true);
  });

  it('retries a rate-limited owner lookup and ends assigned', async () => {
    const app = await start();
    const owner = app.hubspot!.seedOwner({ email: 'rep.one@acme-analytics.example' });
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    const leadId = await routedLead(app);
    app.hubspot!.fail({ match: 'GET /crm/v3/owners/', status: 429, retryAfter: '1' });
    await claim(app, leadId, REP);
    const row = () => app.app.db.prepare("SELECT status, attempts, last_error FROM outbox WHERE kind = 'crm_assign_owner'").get() as { status: string; attempts: number; last_error: string };
    expect(row()).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('429') });
    expect(contactOf(app).properties).not.toHaveProperty('hubspot_owner_id');
    app.app.db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE kind = 'crm_assign_owner'").run(); // Retry-After has passed
    await app.settle();
    expect(row()).toMatchObject({ status: 'done', attempts: 2 });
    expect(contactOf(app).properties['hubspot_owner_id']).toBe(owner.id);
    expect(app.hubspot!.store.notes.size).toBe(2); // the triage note and one claim note
  });

  it('after repeated transient failures writes the claim without an owner rather than never', async () => {
    const app = await start();
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    const leadId = await routedLead(app);
    app.hubspot!.fail({ match: 'GET /crm/v3/owners/', status: 503, times: 100 });
    await claim(app, leadId, REP);
    const status = () => app.app.db.prepare("SELECT status FROM outbox WHERE kind = 'crm_assign_owner'").pluck().get();
    for (let i = 0; i < 10 && status() !== 'done'; i++) {
      app.app.db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE kind = 'crm_assign_owner'").run();
      await app.settle();
    }
    expect(app.app.db.prepare("SELECT status, attempts FROM outbox WHERE kind = 'crm_assign_owner'").get()).toEqual({ status: 'done', attempts: 4 });
    expect(notes(app).some((n) => n.includes('HubSpot owner unchanged: owner lookup failed (hubspot find owner: HTTP 503'))).toBe(true);
  });

  it('Reassign replaces the owner this app set, but not one a person set since', async () => {
    const app = await start();
    const one = app.hubspot!.seedOwner({ email: 'rep.one@acme-analytics.example' });
    const two = app.hubspot!.seedOwner({ email: 'rep.two@acme-analytics.example' });
    const human = app.hubspot!.seedOwner({ email: 'manager@acme-analytics.example', firstName: 'Mia' });
    app.slack!.setUserProfile(REP, { email: 'rep.one@acme-analytics.example' });
    app.slack!.setUserProfile(REP_2, { email: 'rep.two@acme-analytics.example' });
    const leadId = await routedLead(app);
    await claim(app, leadId, REP);
    expect(contactOf(app).properties['hubspot_owner_id']).toBe(one.id);

    await reassign(app, leadId, APPROVER, REP_2);
    expect(contactOf(app).properties['hubspot_owner_id']).toBe(two.id);

    contactOf(app).properties['hubspot_owner_id'] = human.id; // a manager changes it in HubSpot
    await reassign(app, leadId, APPROVER, REP);
    expect(contactOf(app).properties['hubspot_owner_id']).toBe(human.id);
    // the approver who clicked is told, in the card's channel
    const told = ephemerals(app, APPROVER).find((c) => String(c.body.text).includes('HubSpot owner unchanged'));
    expect(told).toMatchObject({ body: { channel: SALES, text: expect.stringContaining('contact already owned by Mia') } });
  });
});
