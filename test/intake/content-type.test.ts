import { describe, expect, it } from 'vitest';
import { SECRETS, startTestApp } from '../helpers/app.ts';
import { signWebhook } from '../helpers/sign.ts';
import { harness } from './harness.ts';

const body = (email: string) => JSON.stringify({ email, name: 'Ana Souza', message: 'Need a quote for 25 seats' });

describe('accept: JSON content type only', () => {
  it('a signed JSON body sent as text/plain → 415 naming application/json, audited, nothing stored', () => {
    const h = harness();
    const res = h.deliver('generic', body('ana@acme-widgets.com'), { headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(res).toEqual({ status: 415, body: { error: 'unsupported_media_type', message: 'send Content-Type: application/json' } });
    expect(h.count('leads') + h.count('inbound_events') + h.count('jobs')).toBe(0);
    expect(h.auditRows('rejected').map((r) => r.reason)).toEqual(['unsupported_media_type']);
  });

  it('over HTTP: fetch with a string body (text/plain) and with bytes (no Content-Type) → 415, nothing stored', async () => {
    const t = await startTestApp();
    try {
      const raw = body('ana@acme-widgets.com');
      const { 'Content-Type': _json, ...signature } = signWebhook('generic', SECRETS.WEBHOOK_SECRET, raw);
      const plain = await fetch(`${t.url}/webhooks/generic`, { method: 'POST', body: raw, headers: signature });
      expect(plain.status).toBe(415);
      expect(await plain.json()).toMatchObject({ error: 'unsupported_media_type', message: expect.stringContaining('application/json') });
      const bare = await fetch(`${t.url}/webhooks/generic`, { method: 'POST', body: new TextEncoder().encode(raw), headers: signature });
      expect(bare.status).toBe(415);
      expect(t.app.db.prepare('SELECT COUNT(*) FROM inbound_events').pluck().get()).toBe(0);
      expect((await t.deliver('generic', raw)).status).toBe(202);
    } finally {
      await t.stop();
    }
  });

  it.each(['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.x+json', 'Application/Problem+JSON ; charset=utf-8'])('accepts %s', (type) => {
    const h = harness();
    const res = h.deliver('generic', body('ana@acme-widgets.com'), { headers: { 'Content-Type': type } });
    expect(res.status).toBe(202);
    expect(h.count('leads')).toBe(1);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/json'])('refuses %s', (type) => {
    const h = harness();
    expect(h.deliver('generic', body('ana@acme-widgets.com'), { headers: { 'Content-Type': type } }).status).toBe(415);
  });
});
