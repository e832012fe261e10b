import type { Enrichment } from '../core/enrichment.ts';
import { emailDomain } from '../core/lead.ts';
import type { Policy } from '../policy/schema.ts';
import type { LeadRecord, LeadStore } from '../store/leads.ts';
import type { PrecheckFacts } from './precheck.ts';

const MINUTE = 60_000;

/**
 * What the precheck reads about a stored lead: its address and domain, and how many leads came before it (by
 * created_at) from the same submitter IP and email domain within the policy's windows. The pipeline and a
 * replay both gather it here, so a lead's neighbours are the same in both.
 */
export function storedPrecheckFacts(leads: LeadStore, record: LeadRecord, domain: Enrichment['domain'], policy: Policy): PrecheckFacts {
  const lead = record.lead;
  const since = (minutes: number) => new Date(Date.parse(record.created_at) - minutes * MINUTE).toISOString();
  const limits = policy.rate_limits;
  return {
    email: lead.email,
    domain,
    submitter_ip: lead.submitter_ip,
    prior_from_ip: lead.submitter_ip ? leads.countPriorFromIp(lead.submitter_ip, since(limits.per_ip.window_minutes), record.created_at, record.id) : 0,
    prior_from_domain: leads.countPriorFromDomain(emailDomain(lead.email), since(limits.per_domain.window_minutes), record.created_at, record.id),
  };
}
