import { z } from 'zod';

/** Facts gathered about a lead before classification. Every part is optional: a failed lookup degrades evidence, never the lead. */
export const EnrichmentSchema = z.object({
  domain: z.object({
    email_domain: z.string(),
    registrable_domain: z.string().nullable(),
    public_suffix: z.string().nullable(),
    is_free_mail: z.boolean(),
    is_disposable: z.boolean(),
    is_role_address: z.boolean(),
    suggested_domain: z.string().nullable(),
  }),
  crm_history: z
    .object({
      contact_exists: z.boolean(),
      company_exists: z.boolean(),
      existing_customer: z.boolean(),
      open_deal: z.boolean(),
      previous_spam: z.boolean(),
      prior_leads: z.number().int().min(0),
      /** CRM owners of the known contact and company, for account-owner routing (absent in enrichments stored before routing). */
      contact_owner_id: z.string().nullable().optional(),
      company_owner_id: z.string().nullable().optional(),
    })
    .nullable(),
  company: z
    .object({
      name: z.string().nullable(),
      domain: z.string(),
      industry: z.string().nullable(),
      employee_count: z.number().int().nullable(),
      country: z.string().nullable(),
      description: z.string().nullable(),
      source: z.string(),
    })
    .nullable(),
  /** Lookups that failed or were skipped, with why: `{ step: 'website', reason: 'timeout' }`. */
  degraded: z.array(z.object({ step: z.string(), reason: z.string() })),
});
export type Enrichment = z.infer<typeof EnrichmentSchema>;
