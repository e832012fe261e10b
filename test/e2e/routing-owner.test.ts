import { afterEach, describe, expect, it } from 'vitest';
import { currentAssignment } from '../../src/routing/ledger.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

// Routing to a person, end to end: account owner first, then rules, and the audit row that says why.
// Default clock: Tue 2026-12-01T10:00Z — Ana (Berlin, 11:00) is at work, Ben (New York, 05:00) is not.

const ANA = 'U0SALES001';
const BEN = 'U0SALES002';
const SALES = 'C0SALES001';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

function buyer(email: string, company = 'Helix Bio') {
  return {
    event_id: `evt-${email}`, email, name: 'Tom Becker', company, website: `https://${email.split('@')[1]}`,
    message: 'Need pricing for 60 seats with SSO and a SOC 2 report. We are evaluating vendors and decide by end of month.',
  };
}

async function routed(app: TestApp, email: string, company?: string): Promise<string> {
  const { status, body } = await app.deliver('generic', buyer(email, company));
  expect(status).toBe(202);
  const leadId = body.lead_id as string;
  await app.settle();
  expect(app.app.leads.get(leadId)?.status).toBe('routed');
  return leadId;
}

const assignedRow = (app: TestApp, leadId: string) => app.app.audit.trail(leadId).find((r) => r.event === 'assigned');
// The audit reason may go on with " — considered: …" (each candidate and why); the choice itself comes first.
const why = (row: { reason?: string | null } | undefined) => String(row?.reason ?? '').split(' — considered: ')[0];
const output = (row: { output_json: string | null } | undefined) => JSON.parse(row?.output_json ?? 'null') as Record<string, any>;
const latestDecision = (app: TestApp, leadId: string) =>
  JSON.parse(app.app.db.prepare('SELECT decision_json FROM decisions WHERE lead_id = ? ORDER BY version DESC LIMIT 1').pluck().get(leadId) as string) as { route: string; rules: Array<{ rule: string; reason: string }> };

describe('account owner first', () => {
  it("gives a known contact's HubSpot owner the lead even off hours, without advancing the rotation", async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    t.hubspot!.seed('contacts', { email: 'tom.becker@helixbio.com', hubspot_owner_id: '41629780', lifecyclestage: 'lead' });
    const leadId = await routed(t, 'tom.becker@helixbio.com');

    const a = currentAssignment(t.app.db, leadId)!;
    expect(a).toMatchObject({ user_id: BEN, via: 'account_owner', rotation: 0, credited: 0, queue: 'sales', reason: 'account owner of the contact' });
    expect(assignedRow(t, leadId)).toMatchObject({ stage: 'route', actor: 'system', decision: 'account_owner' });
    expect(why(assignedRow(t, leadId))).toBe('account owner of the contact');

    const posts = t.slack!.callsTo('chat.postMessage');
    const card = posts.find((c) => c.body.channel === SALES)!;
    expect(JSON.stringify(card.body.blocks)).toContain(`<@${BEN}>`);
    const dm = posts.find((c) => c.body.channel === 'D0SALES002');
    expect(dm).toBeDefined();
    expect(String(dm!.body.text)).toContain('You own a new lead: Helix Bio');
    expect(t.slack!.callsTo('conversations.open').map((c) => c.body.users)).toEqual([BEN]);
    // The contact already had Ben as its owner; it keeps him.
    const contact = t.hubspot!.all('contacts').find((c) => c.properties['email'] === 'tom.becker@helixbio.com')!;
    expect(contact.properties['hubspot_owner_id']).toBe('41629780');

    // The rotation did not move: the next unknown buyer goes to Ana as the first of her day.
    const next = await routed(t, 'eva.lind@helixbio.com');
    expect(currentAssignment(t.app.db, next)).toMatchObject({ user_id: ANA, via: 'round_robin', rotation: 1, reason: 'round robin in ae pool: 1st of 8 today, weight 2' });
  });

  it("falls back to the company's HubSpot owner, found by the email's domain", async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    t.hubspot!.seed('companies', { domain: 'northwind-analytics.com', name: 'Northwind', hubspot_owner_id: '41629779' });
    const leadId = await routed(t, 'mia@northwind-analytics.com', 'Northwind');

    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ user_id: ANA, via: 'account_owner', rotation: 0, reason: 'account owner of northwind-analytics.com' });
    expect(assignedRow(t, leadId)).toMatchObject({ decision: 'account_owner' });
    expect(why(assignedRow(t, leadId))).toBe('account owner of northwind-analytics.com');
    expect(t.slack!.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual([SALES, 'D0SALES001']);
  });

  it('skips an account owner who is away, says so, and rotates', async () => {
    t = await startTestApp({ slack: true, hubspot: true, now: Date.parse('2026-12-01T15:00:00Z') });
    t.app.db.prepare('INSERT INTO absences (user_id, from_at, until_at, set_by, created_at) VALUES (?, ?, NULL, ?, ?)').run(BEN, 0, BEN, 0);
    t.hubspot!.seed('contacts', { email: 'tom.becker@helixbio.com', hubspot_owner_id: '41629780', lifecyclestage: 'lead' });
    const leadId = await routed(t, 'tom.becker@helixbio.com');
    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ user_id: ANA, via: 'round_robin' });
    expect(why(assignedRow(t, leadId))).toBe(`account owner ${BEN} is away until further notice; round robin in ae pool: 1st of 8 today, weight 2`);
  });
});

describe('routing rules', () => {
  for (const country of ['DE', 'Germany']) {
    it(`sends a ${country} company of 500 people to the dach pool by rule 1`, async () => {
      t = await startTestApp({ slack: true, hubspot: true });
      t.hubspot!.seed('companies', { domain: 'kraftwerk-data.de', name: 'Kraftwerk Data', country, numberofemployees: '500', industry: 'software' });
      const leadId = await routed(t, 'jonas@kraftwerk-data.de', 'Kraftwerk Data');

      const decision = latestDecision(t, leadId);
      expect(decision.route).toBe('sales');
      expect(decision.rules).toContainEqual({ rule: 'routing_rule', reason: 'rule 1: DACH enterprise → sales queue, dach pool' });
      const a = currentAssignment(t.app.db, leadId)!;
      expect(a).toMatchObject({ user_id: ANA, queue: 'sales', pool: 'dach', via: 'round_robin' });
      const row = assignedRow(t, leadId)!;
      expect(row.reason).toMatch(/^rule 1: DACH enterprise/);
      expect(why(row)).toBe('rule 1: DACH enterprise → dach pool; round robin in dach pool: 1st today, weight 1');
      expect(output(row)).toMatchObject({ pool: 'dach', rule: { index: 1, name: 'DACH enterprise' } });
    });
  }

  it('does not fire the DACH rule below 200 employees: the queue pool (ae) takes it', async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    t.hubspot!.seed('companies', { domain: 'kleinbetrieb.de', name: 'Kleinbetrieb', country: 'DE', numberofemployees: '150', industry: 'software' });
    const leadId = await routed(t, 'jonas@kleinbetrieb.de', 'Kleinbetrieb');
    expect(latestDecision(t, leadId).rules.some((r) => r.rule === 'routing_rule')).toBe(false);
    expect(currentAssignment(t.app.db, leadId)).toMatchObject({ pool: 'ae', via: 'round_robin', user_id: ANA });
  });
});

describe('why did it go there', () => {
  it("the 'assigned' audit row lists every candidate with its eligibility and why", async () => {
    t = await startTestApp({ slack: true, hubspot: true });
    const leadId = await routed(t, 'tom.becker@helixbio.com');
    const row = assignedRow(t, leadId)!;
    expect(row).toMatchObject({ stage: 'route', decision: 'round_robin' });
    expect(why(row)).toBe('round robin in ae pool: 1st of 8 today, weight 2');
    const out = output(row);
    expect(out).toMatchObject({ user: ANA, queue: 'sales', pool: 'ae', via: 'round_robin', rule: null, alert: null });
    expect(out.candidates).toEqual([
      { user: ANA, eligible: true, why: 'eligible', weight: 2, assigned: expect.any(Number), target: expect.any(Number) },
      { user: BEN, eligible: false, why: expect.stringMatching(/^off hours \(.*America\/New_York\)$/), weight: 1, assigned: expect.any(Number), target: expect.any(Number) },
    ]);
    expect(out.candidates[1].why).toContain('05:00');
  });
});
