import { z } from 'zod';
import type { Enrichment } from '../core/enrichment.ts';
import { clipText } from '../core/text.ts';

type Company = NonNullable<Enrichment['company']>;

const clipOrNull = (v: string | null | undefined, max: number): string | null => (v == null ? null : clipText(v, max));

/** Only the fields we use from People Data Labs' Company Enrichment response (schema v5). */
const PdlCompany = z.object({
  name: z.string().nullish(),
  display_name: z.string().nullish(),
  employee_count: z.number().int().nullish(),
  industry: z.string().nullish(),
  summary: z.string().nullish(),
  location: z.object({ country: z.string().nullish() }).nullish(),
});

export const PDL_DEFAULT_BASE = 'https://api.peopledatalabs.com';

/**
 * People Data Labs Company Enrichment by website domain (GET /v5/company/enrich, X-Api-Key).
 * 404 means no match (null, cached like a hit); anything else non-200 is an error for the runner.
 */
export async function pdlCompanyByDomain(domain: string, apiKey: string, baseUrl: string | undefined, signal: AbortSignal): Promise<Company | null> {
  const url = new URL('/v5/company/enrich', baseUrl ?? PDL_DEFAULT_BASE);
  url.searchParams.set('website', domain);
  const res = await fetch(url, { headers: { 'X-Api-Key': apiKey, accept: 'application/json' }, signal });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`pdl HTTP ${res.status}`);
  const parsed = PdlCompany.safeParse(await res.json());
  if (!parsed.success) throw new Error('pdl response did not match the expected schema');
  const c = parsed.data;
  return {
    name: clipOrNull(c.display_name || c.name || null, 300),
    domain,
    industry: clipOrNull(c.industry, 200),
    employee_count: c.employee_count ?? null,
    country: clipOrNull(c.location?.country, 100),
    description: clipOrNull(c.summary, 600),
    source: 'pdl',
  };
}
