import { countries } from 'countries-list';
import type { Enrichment } from '../core/enrichment.ts';
import type { CanonicalLead } from '../core/lead.ts';
import { matchPhrases } from '../policy/rules/phrases.ts';
import type { RoutingRule } from '../policy/routingSchema.ts';
import type { Policy } from '../policy/schema.ts';

type When = RoutingRule['when'];

const continents = countries as Readonly<Record<string, { continent: string; name: string; native: string } | undefined>>;
// CRMs and enrichment vendors give a country as a code ("DE") or a name ("Germany", "Deutschland").
const codeByName = new Map(Object.entries(continents).flatMap(([code, c]) => (c ? [[c.name.toLowerCase(), code], [c.native.toLowerCase(), code]] : [])));

/** ISO-2 code of a country given as a code or as its English or native name; null when unknown. */
export function countryCode(country: string | null | undefined): string | null {
  const value = country?.trim();
  if (!value) return null;
  if (/^[A-Za-z]{2}$/.test(value)) return continents[value.toUpperCase()] ? value.toUpperCase() : null;
  return codeByName.get(value.toLowerCase()) ?? null;
}

/** Continent code ("EU", "NA" …) of a country code or name, or null when the country is unknown. */
export function continentOf(country: string | null | undefined): string | null {
  const code = countryCode(country);
  return code ? (continents[code]?.continent ?? null) : null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const oneOf = (value: string | null | undefined, list: readonly string[]) =>
  value !== null && value !== undefined && value !== '' && list.some((v) => same(v, value.trim()));

function industryMatches(industry: string | null | undefined, list: readonly string[]): boolean {
  if (!industry) return false;
  const have = industry.toLowerCase();
  return list.some((want) => {
    const w = want.toLowerCase().trim();
    return w !== '' && (have.includes(w) || w.includes(have));
  });
}

/**
 * Every given condition must hold; a condition whose fact is unknown (no enrichment, no country, no
 * employee count …) does not hold, so a rule never fires on a guess.
 */
function ruleHolds(when: When, lead: CanonicalLead, enrichment: Enrichment | null, intent: string | null): boolean {
  const company = enrichment?.company ?? null;
  const count = company?.employee_count ?? null;
  const checks: Array<[unknown, () => boolean]> = [
    [when.country, () => oneOf(countryCode(company?.country), when.country ?? [])],
    [when.region, () => oneOf(continentOf(company?.country), when.region ?? [])],
    [when.employees_min, () => count !== null && count >= (when.employees_min ?? 0)],
    [when.employees_max, () => count !== null && count <= (when.employees_max ?? Infinity)],
    [when.industry, () => industryMatches(company?.industry, when.industry ?? [])],
    [when.intent, () => oneOf(intent, when.intent ?? [])],
    [when.source, () => oneOf(lead.source, when.source ?? [])],
    [when.utm_source, () => oneOf(lead.utm.source, when.utm_source ?? [])],
    [when.utm_medium, () => oneOf(lead.utm.medium, when.utm_medium ?? [])],
    [when.utm_campaign, () => oneOf(lead.utm.campaign, when.utm_campaign ?? [])],
    // Whole words, stemmed, folded: the same matcher the policy's phrase lists use.
    [when.words, () => matchPhrases(lead.message, when.words ?? []).length > 0],
  ];
  return checks.every(([given, holds]) => given === undefined || holds());
}

/** First routing rule (policy.routing.rules) whose every given condition holds, or null. `index` is 1-based. */
export function matchRoutingRule(
  lead: CanonicalLead,
  enrichment: Enrichment | null,
  intent: string | null,
  policy: Policy,
): { index: number; rule: RoutingRule } | null {
  const rules = policy.routing.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (ruleHolds(rule.when, lead, enrichment, intent)) return { index: i + 1, rule };
  }
  return null;
}

/** "rule 2: DACH enterprise", or the conditions in short when the rule has no name: "rule 2: country DE/AT/CH, employees ≥ 200". */
export function describeRule(index: number, rule: RoutingRule): string {
  if (rule.name) return `rule ${index}: ${rule.name}`;
  const w = rule.when;
  const parts: string[] = [];
  const list = (label: string, values: readonly string[] | undefined) => {
    if (values) parts.push(`${label} ${values.join('/')}`);
  };
  list('country', w.country);
  list('region', w.region);
  if (w.employees_min !== undefined) parts.push(`employees ≥ ${w.employees_min}`);
  if (w.employees_max !== undefined) parts.push(`employees ≤ ${w.employees_max}`);
  list('industry', w.industry);
  list('intent', w.intent);
  list('source', w.source);
  list('utm_source', w.utm_source);
  list('utm_medium', w.utm_medium);
  list('utm_campaign', w.utm_campaign);
  if (w.words) parts.push(`words "${w.words.join('"/"')}"`);
  return parts.length > 0 ? `rule ${index}: ${parts.join(', ')}` : `rule ${index}`;
}
