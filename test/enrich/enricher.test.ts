import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEnricher } from '../../src/enrich/enricher.ts';
import { createInflightLedger } from '../../src/outbox/inflight.ts';
import { createHubspotCrm } from '../../src/crm/hubspot.ts';
import { createLocalCrm } from '../../src/crm/local.ts';
import { loadConfig } from '../../src/config/env.ts';
import { EnrichmentSchema } from '../../src/core/enrichment.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { PdlFake } from '../fakes/pdl.ts';
import { insertLead, lead } from '../outbox/seed.ts';

let hs: HubspotFake;
let pdl: PdlFake;
let hsUrl: string;
let pdlUrl: string;
let site: Server;
let siteHits = 0;
let siteUrl: string;

beforeEach(async () => {
  hs = new HubspotFake();
  pdl = new PdlFake();
  [hsUrl, pdlUrl] = await Promise.all([hs.start(), pdl.start()]);
  siteHits = 0;
  site = createServer((_req, res) => {
    siteHits++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>Acme Corp — analytics</title><meta name="description" content="We build dashboards."></head></html>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.2', r));
  siteUrl = `http://127.0.0.2:${(site.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  site.closeAllConnections();
  await Promise.all([hs.stop(), pdl.stop(), new Promise((r) => site.close(r))]);
});

// 127.0.0.2 stands in for the public internet; every other private address stays refused.
const website = () => ({ urlFor: () => siteUrl, agentOptions: { allowIPAddressList: ['127.0.0.2'] }, allowAnyPort: true });
const config = (extra: Record<string, string> = {}) => loadConfig({ PDL_API_KEY: pdl.apiKey, PDL_BASE_URL: pdlUrl, ...extra });

// Generous: a loaded CI machine can take hundreds of ms over a first loopback fetch; tests of the timeout pass their own.
function setup(db: Db = openDb(':memory:'), timeoutMs = 5_000) {
  const crm = createHubspotCrm({ accessToken: hs.token, baseUrl: hsUrl, timeoutMs: 5_000, ledger: createInflightLedger(db, { settleMs: 0 }) });
  return { db, enricher: createEnricher({ db, config: config(), crm, logger: silentLogger(), timeoutMs, website: website() }) };
}

describe('enricher', () => {
  it('combines CRM history, the CRM company record, PDL and the website (waterfall fills gaps)', async () => {
    hs.seed('contacts', { email: 'jane@acme-corp.com', lifecyclestage: 'customer', num_associated_deals: '2' });
    hs.seed('companies', { domain: 'acme-corp.com', name: 'Acme Corp', industry: null as never, lifecyclestage: 'customer' });
    pdl.add('acme-corp.com', { name: 'acme corp', display_name: 'Acme Corporation', employee_count: 240, industry: 'computer software', location: { country: 'united states' }, summary: 'Analytics.' });
    const { db, enricher } = setup();
    const id = insertLead(db);
    const e = await enricher.enrich(lead(), { lead_id: id, correlation_id: 'c' });
    expect(EnrichmentSchema.safeParse(e).success).toBe(true);
    expect(e.degraded).toEqual([]);
    expect(e.crm_history).toEqual({
      contact_exists: true, company_exists: true, existing_customer: true, open_deal: true, previous_spam: false, prior_leads: 0,
      contact_owner_id: null, company_owner_id: null,
    });
    expect(e.company).toEqual({ name: 'Acme Corp', domain: 'acme-corp.com', industry: 'computer software', employee_count: 240, country: 'united states', description: 'Analytics.', source: 'crm+pdl+website' });
    expect(siteHits).toBe(1);
  });

  it('degrades failed lookups instead of failing the lead, within the timeout', async () => {
    hs.fail({ match: 'POST /crm/v3/objects/contacts/search', status: 503 });
    hs.fail({ match: 'POST /crm/v3/objects/companies/search', status: 503 });
    pdl.latencyMs = 5_000;
    const { db } = setup();
    const crm = createHubspotCrm({ accessToken: hs.token, baseUrl: hsUrl, ledger: createInflightLedger(openDb(':memory:'), { settleMs: 0 }) });
    // website pointed at loopback 127.0.0.1: must be refused
    const enricher = createEnricher({ db, config: config(), crm, logger: silentLogger(), timeoutMs: 200, website: { urlFor: () => 'http://127.0.0.1:9/', allowAnyPort: true } });
    const t0 = performance.now();
    const e = await enricher.enrich(lead(), { lead_id: insertLead(db), correlation_id: 'c' });
    expect(performance.now() - t0).toBeLessThan(2_500); // well under the 5 s PDL answer: the 200 ms timeout cut it
    expect(e.crm_history).toBeNull();
    expect(e.company).toBeNull();
    const reasons = Object.fromEntries(e.degraded.map((d) => [d.step, d.reason]));
    expect(reasons['crm_contact']).toMatch(/503/);
    expect(reasons['pdl']).toBe('timeout');
    expect(reasons['website']).toMatch(/not allowed/);
  });

  it('caches lookups in SQLite and opens the breaker after repeated failures', async () => {
    pdl.add('acme-corp.com', { name: 'acme', employee_count: 10 });
    const { db, enricher } = setup();
    const first = await enricher.enrich(lead(), { lead_id: insertLead(db), correlation_id: 'c' });
    expect(first.degraded.find((d) => d.step === 'pdl')).toBeUndefined();
    await enricher.enrich(lead(), { lead_id: insertLead(db), correlation_id: 'c' });
    expect(pdl.requests).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM enrichment_cache WHERE key = 'pdl:acme-corp.com'").pluck().get()).toBe(1);

    pdl.failWith = 500;
    pdl.requests = 0;
    for (let i = 0; i < 7; i++) {
      const e = await enricher.enrich(lead({ email: `x${i}@co${i}.io` }), { lead_id: insertLead(db), correlation_id: 'c' });
      expect(e.degraded.find((d) => d.step === 'pdl')?.reason).toMatch(i < 5 ? /HTTP 500/ : /circuit_open/);
    }
    expect(pdl.requests).toBe(5);
  });

  it('skips company lookups for free mail without a website, and counts prior leads and spam from the store', async () => {
    const db = openDb(':memory:');
    const crm = createLocalCrm(db);
    const enricher = createEnricher({ db, config: loadConfig({}), crm, logger: silentLogger() });
    const old = insertLead(db, lead({ email: 'bob@gmail.com', website: null }));
    db.prepare("UPDATE leads SET status = 'rejected' WHERE id = ?").run(old);
    const e = await enricher.enrich(lead({ email: 'bob@gmail.com', website: null }), { lead_id: insertLead(db, lead({ email: 'bob@gmail.com' })), correlation_id: 'c' });
    expect(e.company).toBeNull();
    expect(e.crm_history).toMatchObject({ contact_exists: false, prior_leads: 1, previous_spam: true });
    expect(e.degraded.map((d) => d.step).sort()).toEqual(['crm_company', 'pdl', 'website']);
    expect(e.degraded.every((d) => d.reason.startsWith('skipped'))).toBe(true);
  });
});
