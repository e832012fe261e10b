import { loadPolicy } from '../../src/policy/load.ts';
import { PolicySchema, type Policy } from '../../src/policy/schema.ts';
import { domainFacts } from '../../src/enrich/domain-facts.ts';
import { ZERO_USAGE, type Classification, type ClassifierResult } from '../../src/core/classification.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import type { Enrichment } from '../../src/core/enrichment.ts';
import type { DecideInput } from '../../src/pipeline/stages.ts';

export const basePolicy: Policy = loadPolicy('data/policy.json').policy;

export function policyWith(patch: (p: Policy) => void): Policy {
  const copy = structuredClone(basePolicy);
  patch(copy);
  return PolicySchema.parse(copy);
}

export function lead(over: Partial<CanonicalLead> = {}): CanonicalLead {
  return {
    name: 'Dana Reyes',
    email: 'dana@northwind-saas.com',
    company: 'Northwind',
    website: null,
    phone: null,
    message: 'We are a 120-person SaaS team evaluating product analytics and would like a demo and pricing for 40 seats.',
    source: 'test',
    utm: { source: null, medium: null, campaign: null, term: null, content: null },
    submitted_at: '2026-01-05T10:00:00Z',
    submitter_ip: null,
    raw_answers: {},
    ...over,
  };
}

export function enrichmentFor(email: string, over: Partial<Enrichment> = {}): Enrichment {
  return { domain: domainFacts(email), crm_history: null, company: null, degraded: [], ...over };
}

export const buyer: Classification = {
  intent: 'buying',
  fit_score: 80,
  fit_reasoning: '120-person SaaS team asking for a demo and pricing',
  confidence: 0.9,
  recommended_action: 'auto_route_sales',
  assigned_to: 'sales',
  priority: 'medium',
  summary_for_slack: 'SaaS team wants a demo',
};

export function result(c: Classification | null, over: Partial<ClassifierResult> = {}): ClassifierResult {
  return {
    classification: c,
    classifier: 'offline',
    model: null,
    prompt_version: 'offline-v2',
    usage: ZERO_USAGE,
    cost_usd: 0,
    latency_ms: 1,
    attempts: 1,
    failure: null,
    fallback_reason: null,
    ...over,
  };
}

export function input(over: Partial<DecideInput> & { c?: Classification | null } = {}): DecideInput {
  const { c, ...rest } = over;
  const l = rest.lead ?? lead();
  return {
    lead: l,
    enrichment: enrichmentFor(l.email),
    classification: result(c === undefined ? buyer : c),
    policy: basePolicy,
    policyHash: 'hash-1',
    precheck: { verdict: 'continue', rules: [] },
    killSwitch: false,
    human: null,
    ...rest,
  };
}

export const ruleNames = (d: { rules: { rule: string }[] }): string[] => d.rules.map((r) => r.rule);
