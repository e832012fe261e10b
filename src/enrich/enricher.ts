import { parse } from 'tldts';
import type { Config } from '../config/env.ts';
import { EnrichmentSchema, type Enrichment } from '../core/enrichment.ts';
import type { CanonicalLead } from '../core/lead.ts';
import type { Crm, CrmCompany } from '../crm/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Enricher, RunContext } from '../pipeline/stages.ts';
import type { Db } from '../store/db.ts';
import { EnrichmentCache } from './cache.ts';
import { crmHistory, priorLeads } from './crm-history.ts';
import { domainFacts } from './domain-facts.ts';
import { LookupRunner, type LookupOutcome } from './lookup.ts';
import { pdlCompanyByDomain } from './pdl.ts';
import { fetchSiteMeta, type FetchSiteOptions, type SiteMeta } from './website.ts';

type Company = NonNullable<Enrichment['company']>;

export interface EnricherDeps {
  db: Db;
  config: Config;
  crm: Crm;
  logger: Logger;
  /** Hard timeout of each lookup; the stage takes at most about this long. */
  timeoutMs?: number;
  /** Tests and benchmarks: where the homepage of a domain is, and fetch limits. */
  website?: { urlFor?: (domain: string) => string } & FetchSiteOptions;
  /** Called with each lookup's duration (ms) after every run: benchmarks and metrics. */
  onLookups?: (ms: Record<string, number>) => void;
}

const MINUTE = 60_000;
const TTL = { contact: 5 * MINUTE, company: 60 * MINUTE, pdl: 30 * 24 * 60 * MINUTE, website: 7 * 24 * 60 * MINUTE };

/** The company domain worth looking up: the email's, unless it is free or throwaway mail; then the website field's. */
export function companyDomain(lead: CanonicalLead, facts: Enrichment['domain']): string | null {
  if (!facts.is_free_mail && !facts.is_disposable && facts.registrable_domain) return facts.registrable_domain;
  if (!lead.website) return null;
  const p = parse(lead.website);
  return p.isIcann && !p.isIp && p.domain ? p.domain.toLowerCase() : null;
}

const skipped = <T>(reason: string): Promise<LookupOutcome<T>> => Promise.resolve({ ok: false, reason, ms: 0 });

/**
 * The enrich stage. All lookups start at once (CRM contact, CRM company, PDL, website); the
 * company waterfall (CRM record → PDL → website metadata) is applied to their results, so the
 * stage takes as long as its slowest lookup, bounded by the per-lookup timeout.
 */
export function createEnricher(deps: EnricherDeps): Enricher {
  const { db, config, crm, logger } = deps;
  const runner = new LookupRunner(new EnrichmentCache(db), deps.timeoutMs ?? 2_500);
  const site = deps.website ?? {};
  const urlFor = site.urlFor ?? ((d: string) => `https://${d}/`);

  return {
    async enrich(lead: CanonicalLead, ctx: RunContext): Promise<Enrichment> {
      const facts = domainFacts(lead.email);
      const domain = companyDomain(lead, facts);
      const email = lead.email.toLowerCase();
      const { pdlApiKey, pdlBaseUrl, websiteFetch } = config.enrichment;

      const [contact, company, pdl, web] = await Promise.all([
        runner.run({ step: 'crm_contact', cacheKey: `${crm.name}:contact:${email}`, ttlMs: TTL.contact, run: () => crm.findContactByEmail(email) }, ctx.signal),
        domain
          ? runner.run({ step: 'crm_company', cacheKey: `${crm.name}:company:${domain}`, ttlMs: TTL.company, run: () => crm.findCompanyByDomain(domain) }, ctx.signal)
          : skipped<null>('skipped: no company domain'),
        domain && pdlApiKey
          ? runner.run({ step: 'pdl', cacheKey: `pdl:${domain}`, ttlMs: TTL.pdl, run: (s) => pdlCompanyByDomain(domain, pdlApiKey, pdlBaseUrl, s) }, ctx.signal)
          : skipped<Company | null>(domain ? 'skipped: PDL_API_KEY not set' : 'skipped: no company domain'),
        domain && websiteFetch
          ? runner.run<SiteMeta>({ step: 'website', cacheKey: `website:${domain}`, ttlMs: TTL.website, run: (s) => fetchSiteMeta(urlFor(domain), { ...site, signal: s }) }, ctx.signal)
          : skipped<SiteMeta>(domain ? 'skipped: website fetch disabled' : 'skipped: no company domain'),
      ]);

      const degraded: Enrichment['degraded'] = [];
      const note = (step: string, o: LookupOutcome<unknown>) => {
        if (!o.ok) degraded.push({ step, reason: o.reason });
      };
      note('crm_contact', contact);
      note('crm_company', company);
      note('pdl', pdl);
      note('website', web);

      const prior = priorLeads(db, email, ctx.lead_id);
      const crm_history = contact.ok || company.ok ? crmHistory(contact.ok ? contact.value : null, company.ok ? company.value : null, prior) : null;

      const result = EnrichmentSchema.parse({
        domain: facts,
        crm_history,
        company: domain ? waterfall(domain, company.ok ? company.value : null, pdl.ok ? pdl.value : null, web.ok ? web.value : null) : null,
        degraded,
      });
      const ms = { crm_contact: contact.ms, crm_company: company.ms, pdl: pdl.ms, website: web.ms };
      deps.onLookups?.(ms);
      logger.debug({ lead_id: ctx.lead_id, ms, degraded }, 'enrich: done');
      return result;
    },
  };
}

/** First source that knows the company wins each field; later sources only fill gaps. */
function waterfall(domain: string, crmCo: CrmCompany | null, pdl: Company | null, web: SiteMeta | null): Company | null {
  const sources: Company[] = [];
  if (crmCo) {
    sources.push({ name: crmCo.name, domain, industry: crmCo.industry, employee_count: crmCo.employee_count, country: crmCo.country, description: crmCo.description, source: 'crm' });
  }
  if (pdl) sources.push(pdl);
  if (web && (web.title || web.description)) {
    sources.push({ name: web.title, domain, industry: null, employee_count: null, country: null, description: web.description, source: 'website' });
  }
  const [first, ...rest] = sources;
  if (!first) return null;
  const merged = { ...first };
  for (const s of rest) {
    for (const k of ['name', 'industry', 'employee_count', 'country', 'description'] as const) {
      if (merged[k] === null && s[k] !== null) (merged as Record<string, unknown>)[k] = s[k];
    }
  }
  merged.source = sources.map((s) => s.source).join('+');
  return merged;
}
