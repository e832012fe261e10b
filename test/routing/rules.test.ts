import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { Enrichment } from '../../src/core/enrichment.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { continentOf, describeRule, matchRoutingRule } from '../../src/routing/rules.ts';

const raw = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, unknown> & { routing: Record<string, unknown> };

function policyWithRules(rules: unknown[]): Policy {
  const doc = {
    ...raw,
    people: { U0ANA00001: { name: 'Ana', timezone: 'Europe/Berlin', hours: 'Mon-Fri 09:00-17:30' } },
    pools: { ae: { members: [{ user: 'U0ANA00001' }] }, dach: { members: [{ user: 'U0ANA00001' }] } },
    routing: {
      ...raw.routing,
      rules,
      queues: {
        sales: { channel: 'C0SALES001', pool: 'ae' },
        support: { channel: 'C0SUPPORT1' },
        founder: { channel: 'C0FOUNDER1' },
      },
    },
  };
  return parsePolicy(JSON.stringify(doc)).policy;
}

function lead(over: Partial<CanonicalLead> = {}): CanonicalLead {
  return {
    name: 'Jonas Weber', email: 'jonas@northwind.example', company: 'Northwind', website: null, phone: null,
    message: 'We want to migrate our event tracking and need SSO for 300 seats.', source: 'typeform',
    utm: { source: 'LinkedIn', medium: 'cpc', campaign: 'q4-dach', term: null, content: null },
    submitted_at: '2026-11-30T09:00:00Z', submitter_ip: null, raw_answers: {}, ...over,
  };
}

function enrichment(company: Partial<NonNullable<Enrichment['company']>> | null): Enrichment {
  return {
    domain: { email_domain: 'northwind.example', registrable_domain: 'northwind.example', public_suffix: 'example', is_free_mail: false, is_disposable: false, is_role_address: false, suggested_domain: null },
    crm_history: null,
    company: company === null ? null : { name: 'Northwind', domain: 'northwind.example', industry: 'B2B Software', employee_count: 500, country: 'DE', description: null, source: 'pdl', ...company },
    degraded: [],
  };
}

/** The 1-based index of the rule that matches, or null. */
function first(when: Record<string, unknown>, l = lead(), e: Enrichment | null = enrichment({}), intent: string | null = 'buying'): number | null {
  const policy = policyWithRules([{ name: 'never', when: { country: ['ZZ'] }, queue: 'sales' }, { when, queue: 'sales', pool: 'dach' }]);
  return matchRoutingRule(l, e, intent, policy)?.index ?? null;
}

describe('matchRoutingRule', () => {
  it('returns the first rule whose every condition holds, with its 1-based index', () => {
    const policy = policyWithRules([
      { name: 'US', when: { country: ['US'] }, queue: 'sales', pool: 'ae' },
      { name: 'DACH enterprise', when: { country: ['DE', 'AT', 'CH'], employees_min: 200 }, queue: 'sales', pool: 'dach' },
      { name: 'Europe', when: { region: ['EU'] }, queue: 'sales', pool: 'ae' },
    ]);
    const m = matchRoutingRule(lead(), enrichment({}), 'buying', policy);
    expect(m?.index).toBe(2);
    expect(m?.rule.name).toBe('DACH enterprise');
    expect(m?.rule.pool).toBe('dach');
    // Too small for rule 2: the next rule that holds wins.
    expect(matchRoutingRule(lead(), enrichment({ employee_count: 50 }), 'buying', policy)?.index).toBe(3);
    expect(matchRoutingRule(lead(), enrichment({ country: 'BR' }), 'buying', policy)).toBeNull();
  });

  it('returns null without rules and matches an empty condition set on anything', () => {
    expect(matchRoutingRule(lead(), null, null, policyWithRules([]))).toBeNull();
    expect(first({}, lead(), null, null)).toBe(2);
  });

  it('country: a code or a name as CRMs and vendors write it; unknown country or no enrichment never matches', () => {
    expect(first({ country: ['DE'] }, lead(), enrichment({ country: 'de' }))).toBe(2);
    expect(first({ country: ['DE'] }, lead(), enrichment({ country: 'Germany' }))).toBe(2);
    expect(first({ country: ['DE'] }, lead(), enrichment({ country: 'deutschland' }))).toBe(2);
    expect(first({ region: ['EU'] }, lead(), enrichment({ country: 'Austria' }))).toBe(2);
    expect(first({ country: ['DE'] }, lead(), enrichment({ country: 'Atlantis' }))).toBeNull();
    expect(first({ country: ['AT'] })).toBeNull();
    expect(first({ country: ['DE'] }, lead(), enrichment({ country: null }))).toBeNull();
    expect(first({ country: ['DE'] }, lead(), enrichment(null))).toBeNull();
    expect(first({ country: ['DE'] }, lead(), null)).toBeNull();
  });

  it('region: the continent of the company country (countries-list)', () => {
    expect(continentOf('DE')).toBe('EU');
    expect(continentOf('jp')).toBe('AS');
    expect(continentOf('ZZ')).toBeNull();
    expect(first({ region: ['EU'] }, lead(), enrichment({ country: 'FR' }))).toBe(2);
    expect(first({ region: ['NA', 'SA'] }, lead(), enrichment({ country: 'BR' }))).toBe(2);
    expect(first({ region: ['EU'] }, lead(), enrichment({ country: 'US' }))).toBeNull();
    expect(first({ region: ['EU'] }, lead(), enrichment({ country: null }))).toBeNull();
  });

  it('employees_min / employees_max: inclusive bounds; an unknown count does not match', () => {
    expect(first({ employees_min: 500 })).toBe(2);
    expect(first({ employees_min: 501 })).toBeNull();
    expect(first({ employees_max: 500 })).toBe(2);
    expect(first({ employees_max: 499 })).toBeNull();
    expect(first({ employees_min: 100, employees_max: 1000 })).toBe(2);
    expect(first({ employees_min: 0 }, lead(), enrichment({ employee_count: null }))).toBeNull();
  });

  it('industry: case-insensitive substring either way', () => {
    expect(first({ industry: ['software'] })).toBe(2); // "B2B Software" contains it
    expect(first({ industry: ['Computer Software Services'] }, lead(), enrichment({ industry: 'software' }))).toBe(2);
    expect(first({ industry: ['fintech'] })).toBeNull();
    expect(first({ industry: ['software'] }, lead(), enrichment({ industry: null }))).toBeNull();
  });

  it('intent: the decided intent; none decided does not match', () => {
    expect(first({ intent: ['buying'] })).toBe(2);
    expect(first({ intent: ['support'] })).toBeNull();
    expect(first({ intent: ['buying'] }, lead(), enrichment({}), null)).toBeNull();
  });

  it('source and utm_*: case-insensitive equality; a missing UTM value does not match', () => {
    expect(first({ source: ['Typeform'] })).toBe(2);
    expect(first({ source: ['tally'] })).toBeNull();
    expect(first({ utm_source: ['linkedin'] })).toBe(2);
    expect(first({ utm_source: ['linked'] })).toBeNull();
    expect(first({ utm_medium: ['CPC'] })).toBe(2);
    expect(first({ utm_campaign: ['Q4-DACH'] })).toBe(2);
    expect(first({ utm_campaign: ['q4'] })).toBeNull();
    const noUtm = lead({ utm: { source: null, medium: null, campaign: null, term: null, content: null } });
    expect(first({ utm_source: ['linkedin'] }, noUtm)).toBeNull();
  });

  it('words: any word or phrase on word boundaries, case-insensitive, stemmed', () => {
    expect(first({ words: ['sso'] })).toBe(2);
    expect(first({ words: ['event tracking'] })).toBe(2);
    expect(first({ words: ['HIPAA', 'Migrating'] })).toBe(2); // "migrate" in the message, same stem
    expect(first({ words: ['track'] })).toBe(2); // "tracking": same stem
    expect(first({ words: ['seat'] })).toBeNull(); // "seats": stems under 5 letters match exactly only
    expect(first({ words: ['so'] }, lead({ message: 'We need lasso tools' }))).toBeNull();
    expect(first({ words: ['warehouse sync'] })).toBeNull();
  });

  it('every given condition must hold', () => {
    expect(first({ country: ['DE'], intent: ['buying'], words: ['sso'], employees_min: 200 })).toBe(2);
    expect(first({ country: ['DE'], intent: ['buying'], words: ['hipaa'] })).toBeNull();
  });
});

describe('describeRule', () => {
  it('names the rule, or lists its conditions when it has no name', () => {
    expect(describeRule(2, { name: 'DACH enterprise', when: {}, queue: 'sales' })).toBe('rule 2: DACH enterprise');
    expect(describeRule(1, { when: { country: ['DE', 'AT'], employees_min: 200, words: ['sso', 'saml'] }, queue: 'sales' }))
      .toBe('rule 1: country DE/AT, employees ≥ 200, words "sso"/"saml"');
    expect(describeRule(3, { when: {}, queue: 'support' })).toBe('rule 3');
  });
});
