import type { Enrichment } from '../core/enrichment.ts';
import type { CrmCompany, CrmContact } from '../crm/types.ts';
import type { Db } from '../store/db.ts';

export interface PriorLeads {
  count: number;
  rejected: number;
}

/** Earlier leads from the same address in our own store (this lead excluded). */
export function priorLeads(db: Db, email: string, excludeLeadId: string): PriorLeads {
  const row = db
    .prepare("SELECT COUNT(*) AS count, COALESCE(SUM(status = 'rejected'), 0) AS rejected FROM leads WHERE email = ? AND id != ?")
    .get(email.toLowerCase(), excludeLeadId) as PriorLeads;
  return { count: row.count, rejected: row.rejected };
}

/** Structured history facts for the classifier and the policy. Pure. */
export function crmHistory(contact: CrmContact | null, company: CrmCompany | null, prior: PriorLeads): NonNullable<Enrichment['crm_history']> {
  const stage = (s: string | null | undefined) => (s ?? '').toLowerCase();
  return {
    contact_exists: contact !== null,
    company_exists: company !== null,
    existing_customer: stage(contact?.lifecycle_stage) === 'customer' || stage(company?.lifecycle_stage) === 'customer',
    open_deal: (contact?.open_deals ?? 0) > 0 || (company?.open_deals ?? 0) > 0,
    previous_spam: prior.rejected > 0 || stage(contact?.lead_status) === 'unqualified',
    prior_leads: prior.count,
    contact_owner_id: contact?.owner_id ?? null,
    company_owner_id: company?.owner_id ?? null,
  };
}
