import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/core/lead.ts';
import { signWebhook } from '../helpers/sign.ts';
import { harness, PUBLIC_BASE_URL, sample, SECRETS } from './harness.ts';

const TIMESTAMPED = ['webflow', 'formspree', 'hubspot', 'generic'] as const;

describe('webhook signatures, per vendor scheme', () => {
  for (const provider of PROVIDERS) {
    describe(provider, () => {
      it('accepts the vendor-signed sample and enqueues one lead', () => {
        const h = harness();
        const res = h.deliver(provider, sample(provider));
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ lead_id: expect.stringMatching(/^ld_[0-9A-HJKMNP-TV-Z]{26}$/), status: 'enqueued' });
        expect(h.count('leads')).toBe(1);
        expect(h.count('jobs')).toBe(1);
      });

      it('rejects a body altered after signing with 401 signature_invalid and stores nothing of it', () => {
        const h = harness();
        const body = sample(provider);
        const headers = signWebhook(provider, SECRETS[provider], body, { url: `${PUBLIC_BASE_URL}/webhooks/${provider}` });
        const tampered = body.replace(/@/, '@x');
        const res = h.accept({ provider, method: 'POST', path: `/webhooks/${provider}`, headers, rawBody: Buffer.from(tampered), remoteIp: '198.51.100.9' });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('signature_invalid');
        expect(h.count('leads')).toBe(0);
        expect(h.count('inbound_events')).toBe(0);
        const rejected = h.auditRows('rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0]!.lead_id).toBeNull();
        expect(rejected[0]!.output_json).not.toContain('@x');
      });

      it('rejects a signature made with another secret', () => {
        const h = harness();
        const body = sample(provider);
        const headers = signWebhook(provider, 'not-the-secret', body, { url: `${PUBLIC_BASE_URL}/webhooks/${provider}` });
        const res = h.accept({ provider, method: 'POST', path: `/webhooks/${provider}`, headers, rawBody: Buffer.from(body), remoteIp: '198.51.100.9' });
        expect(res.status).toBe(401);
      });

      it('rejects an unsigned request', () => {
        const h = harness();
        const res = h.accept({ provider, method: 'POST', path: `/webhooks/${provider}`, headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(sample(provider)), remoteIp: '198.51.100.9' });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('signature_invalid');
      });

      it('answers 503 provider_not_configured when its secret is unset, even for a well-signed request', () => {
        const envName = { typeform: 'TYPEFORM_SECRET', tally: 'TALLY_SIGNING_SECRET', webflow: 'WEBFLOW_SECRET', formspree: 'FORMSPREE_SECRET', hubspot: 'HUBSPOT_CLIENT_SECRET', generic: 'WEBHOOK_SECRET' }[provider];
        const h = harness({ env: { [envName]: '' } });
        const res = h.deliver(provider, sample(provider));
        expect(res.status).toBe(503);
        expect(res.body.error).toBe('provider_not_configured');
        expect(h.count('leads')).toBe(0);
      });
    });
  }

  for (const provider of TIMESTAMPED) {
    it(`${provider}: a delivery signed more than 5 minutes ago is 401 signature_stale`, () => {
      const h = harness();
      const res = h.deliver(provider, sample(provider), { timestamp: Date.now() - 6 * 60 * 1000 });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('signature_stale');
    });

    it(`${provider}: a delivery signed 4 minutes ago is still accepted`, () => {
      const h = harness();
      expect(h.deliver(provider, sample(provider), { timestamp: Date.now() - 4 * 60 * 1000 }).status).toBe(202);
    });
  }

  it('formspree: a timestamp re-signed onto an old signature fails (t is covered by the HMAC)', () => {
    const h = harness();
    const body = sample('formspree');
    const old = signWebhook('formspree', SECRETS.formspree, body, { timestamp: Date.now() - 10 * 60 * 1000 })['Formspree-Signature']!;
    const v1 = old.split(',v1=')[1];
    const forged = `t=${Math.floor(Date.now() / 1000)},v1=${v1}`;
    const res = h.accept({ provider: 'formspree', method: 'POST', path: '/webhooks/formspree', headers: { 'content-type': 'application/json', 'formspree-signature': forged }, rawBody: Buffer.from(body), remoteIp: '198.51.100.9' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('signature_invalid');
  });

  it('hubspot: the signed URI must be the public URL; query strings count, listed %-encodings are decoded', () => {
    const h = harness();
    const body = sample('hubspot');
    const wrongHost = h.deliver('hubspot', body, { url: 'https://attacker.example/webhooks/hubspot' });
    expect(wrongHost.status).toBe(401);

    const path = '/webhooks/hubspot?portal=62515&note=a%3Ab';
    const headers = signWebhook('hubspot', SECRETS.hubspot, body, { url: `${PUBLIC_BASE_URL}/webhooks/hubspot?portal=62515&note=a:b` });
    const res = h.accept({ provider: 'hubspot', method: 'POST', path, headers, rawBody: Buffer.from(body), remoteIp: '198.51.100.9' });
    expect(res.status).toBe(202);
  });

  it('hubspot: without PUBLIC_BASE_URL the URI is rebuilt from the Host header', () => {
    const h = harness({ env: { PUBLIC_BASE_URL: '' } });
    const body = sample('hubspot');
    const headers = { ...signWebhook('hubspot', SECRETS.hubspot, body, { url: 'https://hooks.acme.test/webhooks/hubspot' }), host: 'hooks.acme.test' };
    const res = h.accept({ provider: 'hubspot', method: 'POST', path: '/webhooks/hubspot', headers, rawBody: Buffer.from(body), remoteIp: '198.51.100.9' });
    expect(res.status).toBe(202);
  });

  it('header names are matched case-insensitively, as Node lower-cases them', () => {
    const h = harness();
    const body = sample('typeform');
    const signed = signWebhook('typeform', SECRETS.typeform, body);
    const lower = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    expect(h.accept({ provider: 'typeform', method: 'POST', path: '/webhooks/typeform', headers: lower, rawBody: Buffer.from(body), remoteIp: '198.51.100.9' }).status).toBe(202);
  });
});
