import { describe, expect, it } from 'vitest';
import { harness } from './harness.ts';

const event = (over: Record<string, unknown> = {}) => ({
  eventId: 567890123, subscriptionId: 234567, portalId: 12345678, appId: 987654, occurredAt: 1708986598741,
  subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 65059681032, changeFlag: 'CREATED', changeSource: 'FORM', sourceId: 'form-1',
  ...over,
});
const withToken = () => harness({ env: { HUBSPOT_ACCESS_TOKEN: 'pat-na1-intake-test' } });

describe('accept: HubSpot webhook-subscription events (an array body)', () => {
  it('without HUBSPOT_ACCESS_TOKEN → 503 saying why, nothing stored', () => {
    const h = harness();
    const res = h.deliver('hubspot', JSON.stringify([event()]));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'provider_not_configured', message: expect.stringContaining('set HUBSPOT_ACCESS_TOKEN') });
    expect(h.count('leads') + h.count('inbound_events') + h.count('jobs')).toBe(0);
  });

  it('stores each relevant event with a hubspot_contact job under a pre-allocated lead id; ignores the rest', () => {
    const h = withToken();
    const body = JSON.stringify([
      event(),
      event({ eventId: 2, objectId: 77, subscriptionType: 'contact.propertyChange', propertyName: 'email', propertyValue: 'jane@x.io', changeSource: 'API' }),
      event({ eventId: 3, subscriptionType: 'contact.propertyChange', propertyName: 'phone' }),
      event({ eventId: 4, subscriptionType: 'company.creation' }),
      event({ eventId: 5, changeSource: 'CRM_UI' }),
    ]);
    const res = h.deliver('hubspot', body);
    expect(res.status).toBe(202);
    const events = res.body.events as Array<Record<string, unknown>>;
    expect(events.map((e) => [e.event_id, e.status])).toEqual([[567890123, 'enqueued'], [2, 'enqueued'], [3, 'ignored'], [4, 'ignored'], [5, 'ignored']]);
    expect(res.body).toMatchObject({ status: 'enqueued', lead_id: events[0]!.lead_id });
    expect(events[4]!.reason).toContain('CRM_UI');
    expect(h.count('leads')).toBe(0);
    const rows = h.db.prepare('SELECT idempotency_key, lead_id, raw_body FROM inbound_events ORDER BY rowid').all() as Array<{ idempotency_key: string; lead_id: string; raw_body: string }>;
    expect(rows.map((r) => [r.idempotency_key, r.lead_id])).toEqual([['hubspot-event:12345678:567890123', events[0]!.lead_id], ['hubspot-event:12345678:2', events[1]!.lead_id]]);
    expect(JSON.parse(rows[0]!.raw_body)).toEqual(event());
    const job = h.db.prepare("SELECT lead_id, payload_json FROM jobs WHERE kind = 'hubspot_contact' ORDER BY id").get() as { lead_id: string; payload_json: string };
    expect(job.lead_id).toBe(events[0]!.lead_id);
    expect(JSON.parse(job.payload_json)).toEqual({ object_id: '65059681032', portal_id: '12345678', event_id: '567890123', subscription_type: 'contact.creation', occurred_at: 1708986598741 });
    expect(h.auditRows('received').map((r) => r.lead_id)).toEqual([events[0]!.lead_id, events[1]!.lead_id]);

    const again = h.deliver('hubspot', body);
    expect(again.body).toMatchObject({ status: 'duplicate', lead_id: events[0]!.lead_id });
    expect(h.count('jobs')).toBe(2);
  });

  it('only ignored events → 202 ignored with no lead id; a malformed event → 400 naming the field', () => {
    const h = withToken();
    expect(h.deliver('hubspot', JSON.stringify([event({ changeSource: 'IMPORT' })])).body).toMatchObject({ status: 'ignored', lead_id: null });
    const bad = h.deliver('hubspot', JSON.stringify([event(), event({ objectId: 'abc' })]));
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('1.objectId');
    expect(h.count('inbound_events')).toBe(0);
  });
});
