import type { CanonicalLead } from '../core/lead.ts';
import { emailDomain } from '../core/lead.ts';
import type { Enrichment } from '../core/enrichment.ts';
import { domainFacts, domainOnlyEnrichment } from '../enrich/domain-facts.ts';
import { precheck } from '../pipeline/precheck.ts';
import type { PrecheckResult } from '../pipeline/stages.ts';
import type { Policy } from '../policy/schema.ts';
import type { AcceptedCase, EvalCase, EvalFacts } from './dataset.ts';

const MINUTE = 60_000;

/** The enrichment a case's `facts` stand for, on top of the domain facts every lead gets. */
export function caseEnrichment(lead: CanonicalLead, facts: EvalFacts | null): Enrichment {
  const base = domainOnlyEnrichment(lead.email);
  if (!facts) return base;
  const hasCompany = facts.employees !== undefined || facts.industry !== undefined || facts.country !== undefined;
  const hasCrm = facts.known_contact !== undefined || facts.customer !== undefined;
  const known = facts.known_contact ?? false;
  const customer = facts.customer ?? false;
  return {
    ...base,
    company: hasCompany
      ? {
          name: lead.company,
          domain: base.domain.registrable_domain ?? base.domain.email_domain,
          industry: facts.industry ?? null,
          employee_count: facts.employees ?? null,
          country: facts.country ?? null,
          description: null,
          source: 'eval',
        }
      : null,
    crm_history: hasCrm
      ? { contact_exists: known, company_exists: known || customer, existing_customer: customer, open_deal: false, previous_spam: false, prior_leads: 0 }
      : null,
  };
}

/** A known contact or a customer: rejecting one automatically is harm whatever the label says. */
export function isKnown(c: EvalCase): boolean {
  return c.facts?.known_contact === true || c.facts?.customer === true;
}

/**
 * The real precheck for every accepted case, in set order. Rate-limit counts are the other accepted
 * cases from the same IP / email domain submitted within the policy's window up to this one
 * (ties at the same instant: the cases before it in the file). Refused cases never reach the store: null.
 */
export function precheckAll(cases: readonly EvalCase[], policy: Policy): (PrecheckResult | null)[] {
  const accepted = cases.map((c, i) => (c.lead ? { i, c: c as AcceptedCase, at: Date.parse(c.lead.submitted_at), domain: emailDomain(c.lead.email) } : null));
  const { per_ip, per_domain } = policy.rate_limits;
  return accepted.map((me) => {
    if (!me) return null;
    const prior = (window: number, same: (o: NonNullable<(typeof accepted)[number]>) => boolean): number =>
      accepted.filter((o) => o && o.i !== me.i && o.at <= me.at && o.at >= me.at - window * MINUTE && (o.at < me.at || o.i < me.i) && same(o)).length;
    const ip = me.c.lead.submitter_ip;
    return precheck({
      email: me.c.lead.email,
      domain: domainFacts(me.c.lead.email),
      submitter_ip: ip,
      prior_from_ip: ip ? prior(per_ip.window_minutes, (o) => o.c.lead.submitter_ip === ip) : 0,
      prior_from_domain: prior(per_domain.window_minutes, (o) => o.domain === me.domain),
    }, policy);
  });
}
