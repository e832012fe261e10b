import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

let nextEventId = 900_000_001;
const event = (objectId: string, over: Record<string, unknown> = {}) => ({
  eventId: nextEventId++, subscriptionId: 234567, portalId: 12345678, appId: 987654, occurredAt: Date.now(), subscriptionType: 'contact.creation',
  attemptNumber: 0, objectId: Number(objectId), changeFlag: 'CREATED', changeSource: 'FORM', sourceId: 'form-guid', ...over,
});
const emailChange = (objectId: string, email: string) =>
  event(objectId, { subscriptionType: 'contact.propertyChange', propertyName: 'email', propertyValue: email, changeFlag: undefined, changeSource: 'API' });
const contact = (email: string, first: string, company: string) => t!.hubspot!.seed('contacts', {
  email, firstname: first, lastname: 'Doe', company, website: `https://${email.split('@')[1]}`, createdate: '2026-02-26T22:29:58.741Z',
  message: 'We want a demo for 40 seats with SSO, deciding this month.',
}).id;
const count = (sql: string) => t!.app.db.prepare(sql).pluck().get() as number;
type Events = Array<{ event_id: number; status: string; lead_id?: string; reason?: string }>;

describe('HubSpot webhook subscriptions, over HTTP, through the real SDK and the fake', () => {
  it('reads each relevant contact into a lead under the id the 202 named; ignores the rest; redelivery creates nothing', async () => {
    t = await startTestApp({ hubspot: true });
    const jane = contact('jane@northwind.io', 'Jane', 'Northwind');
    const omar = contact('omar@helixbio.com', 'Omar', 'Helix Bio');
    const imported = contact('bulk@importco.com', 'Bulk', 'ImportCo');
    const body = [event(jane), emailChange(omar, 'omar@helixbio.com'), event('555', { subscriptionType: 'company.creation' }), event(imported, { changeSource: 'IMPORT' })];

    const res = await t.deliver('hubspot', body);
    expect(res.status).toBe(202);
    const events = res.body.events as Events;
    expect(events.map((e) => e.status)).toEqual(['enqueued', 'enqueued', 'ignored', 'ignored']);
    expect(res.body).toMatchObject({ status: 'enqueued', lead_id: events[0]!.lead_id });

    await t.settle();
    const created = t.app.db.prepare('SELECT id, email FROM leads ORDER BY created_at, rowid').all() as Array<{ id: string; email: string }>;
    expect(created).toEqual([{ id: events[0]!.lead_id, email: 'jane@northwind.io' }, { id: events[1]!.lead_id, email: 'omar@helixbio.com' }]);
    const lead = t.app.leads.get(events[0]!.lead_id!)!.lead;
    expect(lead).toMatchObject({ name: 'Jane Doe', company: 'Northwind', website: 'https://northwind.io', source: 'hubspot', submitted_at: '2026-02-26T22:29:58.741Z' });
    expect(t.app.leads.get(events[1]!.lead_id!)!.status).not.toBe('received');
    expect(count("SELECT COUNT(*) FROM jobs WHERE status != 'done'")).toBe(0);

    const again = await t.deliver('hubspot', body);
    expect((again.body.events as Events).map((e) => e.status)).toEqual(['duplicate', 'duplicate', 'ignored', 'ignored']);
    expect(again.body).toMatchObject({ status: 'duplicate', lead_id: events[0]!.lead_id });
    await t.settle();
    expect(count('SELECT COUNT(*) FROM leads')).toBe(2);
    expect(count("SELECT COUNT(*) FROM jobs WHERE kind = 'hubspot_contact'")).toBe(2);
  });

  it('a contact created, then its email changed, is one lead; the later event answers with it', async () => {
    t = await startTestApp({ hubspot: true });
    const id = contact('ana@acme-widgets.com', 'Ana', 'Acme Widgets');
    const created = await t.deliver('hubspot', [event(id)]);
    const change = emailChange(id, 'ana@acme-widgets.com');
    const changed = await t.deliver('hubspot', [change]);
    await t.settle();
    const leadId = created.body.lead_id as string;
    expect(t.app.db.prepare('SELECT id FROM leads').pluck().all()).toEqual([leadId]);
    const dupOf = t.app.audit.trail(changed.body.lead_id as string).find((r) => r.event === 'duplicate_of');
    expect(dupOf?.decision).toBe(leadId);
    expect((await t.deliver('hubspot', [change])).body).toMatchObject({ status: 'duplicate', lead_id: leadId });
  });

  it('a missing contact and one without an email end the job, audited; a HubSpot 5xx is retried', async () => {
    t = await startTestApp({ hubspot: true });
    const noEmail = t.hubspot!.seed('contacts', { firstname: 'Nobody' }).id;
    const res = await t.deliver('hubspot', [event('424242'), event(noEmail)]);
    await t.settle();
    const [gone, bare] = (res.body.events as Events).map((e) => t!.app.audit.trail(e.lead_id!).find((r) => r.event === 'skipped')?.reason);
    expect(gone).toContain('not found (404)');
    expect(bare).toContain('no email');
    expect(count('SELECT COUNT(*) FROM leads')).toBe(0);

    const id = contact('li@northwind.io', 'Li', 'Northwind');
    t.hubspot!.fail({ match: `GET /crm/v3/objects/contacts/${id}`, status: 503 });
    const retried = await t.deliver('hubspot', [event(id)]);
    await t.settle();
    expect(count('SELECT COUNT(*) FROM leads')).toBe(0);
    expect(t.app.audit.trail(retried.body.lead_id as string).map((r) => r.event)).toContain('job_retry');
    t.app.db.prepare("UPDATE jobs SET run_at = 0 WHERE kind = 'hubspot_contact' AND status = 'queued'").run();
    await t.settle();
    expect(t.app.db.prepare('SELECT id FROM leads').pluck().all()).toEqual([retried.body.lead_id]);
  });

  it('without HUBSPOT_ACCESS_TOKEN an event array is refused with the reason; the workflow shape still works', async () => {
    t = await startTestApp();
    const res = await t.deliver('hubspot', [event('1000')]);
    expect(res).toEqual({ status: 503, body: { error: 'provider_not_configured', message: 'HubSpot webhook subscriptions carry only ids; set HUBSPOT_ACCESS_TOKEN so lead-triage can read the contact' } });
    expect(count('SELECT COUNT(*) FROM inbound_events') + count('SELECT COUNT(*) FROM jobs')).toBe(0);
    const workflow = { vid: 1, properties: { email: { value: 'kim@northwind.io' }, firstname: { value: 'Kim' }, message: { value: 'Pricing for 30 seats please' } } };
    expect((await t.deliver('hubspot', workflow)).body).toMatchObject({ status: 'enqueued', lead_id: expect.stringMatching(/^ld_/) });
  });
});
