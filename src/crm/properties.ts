import type { CanonicalLead } from '../core/lead.ts';
import type { Policy } from '../policy/schema.ts';
import { clipText } from '../core/text.ts';
import { readLeadField } from '../core/leadFields.ts';

/**
 * Properties the agent may never write, whatever the policy's mapping says: ownership, money and
 * pipeline dates belong to people. Compared case-insensitively; `hs_` prefixes below are HubSpot's.
 */
export const FORBIDDEN_CRM_PROPERTIES: ReadonlySet<string> = new Set([
  'hubspot_owner_id', 'hubspot_owner_assigneddate', 'hubspot_team_id', 'owner', 'owner_id',
  'amount', 'closedate', 'close_date', 'dealstage', 'pipeline', 'hs_lead_status', 'lifecyclestage',
  'hs_object_id', 'createdate', 'lastmodifieddate', 'hs_all_owner_ids', 'hs_analytics_revenue',
  'total_revenue', 'recent_deal_amount', 'recent_deal_close_date', 'first_deal_created_date',
]);

const MAX_VALUE = 1000;

/** Maps a lead to CRM properties through the policy: unmapped fields and forbidden properties are dropped. */
export function mapLeadProperties(lead: CanonicalLead, mapping: Policy['crm']['field_mapping']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, property] of Object.entries(mapping)) {
    if (isForbiddenProperty(property)) continue;
    const value = readLeadField(lead, field);
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = clipText(String(value).trim(), MAX_VALUE);
    if (text) out[property] = text;
  }
  return out;
}

export function isForbiddenProperty(property: string): boolean {
  return FORBIDDEN_CRM_PROPERTIES.has(property.toLowerCase());
}

/** Last line of defence inside each Crm: refuses any forbidden property even if a caller skipped the mapper. */
export function writableOnly(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter(([k]) => !isForbiddenProperty(k)));
}
