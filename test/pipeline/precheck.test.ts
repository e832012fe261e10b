import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.ts';
import { precheck, type PrecheckFacts } from '../../src/pipeline/precheck.ts';
import { domainFacts } from '../../src/enrich/domain-facts.ts';

const { policy } = loadPolicy('data/policy.json');

function facts(email: string, over: Partial<PrecheckFacts> = {}): PrecheckFacts {
  return { email, domain: domainFacts(email), submitter_ip: '203.0.113.7', prior_from_ip: 0, prior_from_domain: 0, ...over };
}

describe('precheck', () => {
  it('lets an ordinary business address through', () => {
    expect(precheck(facts('jane@northwind.io'), policy)).toEqual({ verdict: 'continue', rules: [] });
  });

  it('rejects blocklisted emails and domains, including subdomains', () => {
    expect(precheck(facts('abuse@example.org'), policy).rules.map((r) => r.rule)).toEqual(['blocklist_email']);
    const sub = precheck(facts('bob@mail.spam-example.test'), policy);
    expect(sub.verdict).toBe('reject');
    expect(sub.rules[0]?.rule).toBe('blocklist_domain');
  });

  it('holds disposable addresses for review instead of dropping them', () => {
    const result = precheck(facts('x@mailinator.com'), policy);
    expect(result.verdict).toBe('hold');
    expect(result.rules.map((r) => r.rule)).toContain('disposable_email');
  });

  it('applies per-IP and per-domain limits to the submitter', () => {
    const max = policy.rate_limits.per_ip.max;
    expect(precheck(facts('a@northwind.io', { prior_from_ip: max - 1 }), policy).verdict).toBe('continue');
    expect(precheck(facts('a@northwind.io', { prior_from_ip: max }), policy).rules.map((r) => r.rule)).toEqual(['rate_limit_ip']);
    expect(precheck(facts('a@northwind.io', { prior_from_domain: policy.rate_limits.per_domain.max }), policy).verdict).toBe(policy.rate_limits.on_exceed);
  });

  it('never rate-limits a free-mail domain as a whole', () => {
    expect(precheck(facts('a@gmail.com', { prior_from_domain: 10_000 }), policy).verdict).toBe('continue');
  });

  it('follows the policy when exceeding a limit should reject', () => {
    const strict = { ...policy, rate_limits: { ...policy.rate_limits, on_exceed: 'reject' as const } };
    expect(precheck(facts('a@northwind.io', { prior_from_ip: 99 }), strict).verdict).toBe('reject');
  });
});
