import { closest } from 'fastest-levenshtein';
import { parseFullName } from 'parse-full-name';
import { CanonicalLeadSchema, type CanonicalLead } from './lead.ts';

const RAW_ANSWER = 'raw_answers.';

/** The name as a CRM splits it: "Dr. Maria de la Cruz" → Maria / de la Cruz; a single word is a first name. */
export function splitName(name: string | null): { first: string; last: string } {
  const parts = parseFullName((name ?? '').replace(/\s+/g, ' ').trim(), 'all', 0, 0);
  const first = [parts.first, parts.middle].filter(Boolean).join(' ');
  return first ? { first, last: parts.last ?? '' } : { first: parts.last ?? '', last: '' };
}

/** Fields computed from the lead rather than stored on it. */
const DERIVED: Record<string, (lead: CanonicalLead) => string> = {
  first_name: (lead) => splitName(lead.name).first,
  last_name: (lead) => splitName(lead.name).last,
};

/** Every field a CRM mapping may read, besides `raw_answers.<the vendor's label>`. */
export const LEAD_FIELDS: readonly string[] = [
  ...Object.keys(CanonicalLeadSchema.shape).filter((k) => k !== 'utm' && k !== 'raw_answers'),
  ...Object.keys(CanonicalLeadSchema.shape.utm.shape).map((k) => `utm.${k}`),
  ...Object.keys(DERIVED),
];

/** Why `path` is not a lead field, with the nearest one, or null when it is. */
export function unknownLeadField(path: string): string | null {
  if (LEAD_FIELDS.includes(path) || (path.startsWith(RAW_ANSWER) && path.length > RAW_ANSWER.length)) return null;
  return `"${path}" is not a lead field (did you mean "${closest(path, [...LEAD_FIELDS])}"?); fields: ${LEAD_FIELDS.join(', ')}, or raw_answers.<the form's field label>`;
}

/** A field's value on the lead, by a path `unknownLeadField` accepts; undefined when the lead has none. */
export function readLeadField(lead: CanonicalLead, path: string): unknown {
  const derived = DERIVED[path];
  if (derived) return derived(lead);
  if (path.startsWith(RAW_ANSWER)) return lead.raw_answers[path.slice(RAW_ANSWER.length)];
  if (path.startsWith('utm.')) return lead.utm[path.slice(4) as keyof CanonicalLead['utm']];
  return lead[path as keyof CanonicalLead];
}
