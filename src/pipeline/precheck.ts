import type { RuleHit } from '../core/decision.ts';
import { withinDomain } from '../core/domain.ts';
import type { Enrichment } from '../core/enrichment.ts';
import type { Policy } from '../policy/schema.ts';
import type { PrecheckResult } from './stages.ts';

/** Everything the precheck looks at, gathered beforehand so the rules themselves stay pure. */
export interface PrecheckFacts {
  email: string;
  domain: Enrichment['domain'];
  submitter_ip: string | null;
  prior_from_ip: number;
  prior_from_domain: number;
}

/** Blocklists reject; disposable addresses and rate-limit excess are held (or rejected, per policy) — never dropped. */
export function precheck(facts: PrecheckFacts, policy: Policy): PrecheckResult {
  const rules: RuleHit[] = [];
  let verdict: PrecheckResult['verdict'] = 'continue';
  const escalate = (to: 'hold' | 'reject') => {
    if (to === 'reject' || verdict === 'continue') verdict = to;
  };

  const email = facts.email.toLowerCase();
  if (policy.blocklist.emails.some((b) => b.toLowerCase() === email)) {
    rules.push({ rule: 'blocklist_email', reason: 'the email address is on the policy blocklist' });
    escalate('reject');
  }
  const domains = [facts.domain.email_domain, facts.domain.registrable_domain].filter((d): d is string => !!d);
  const blockedDomain = policy.blocklist.domains.find((b) => domains.some((d) => withinDomain(d, b)));
  if (blockedDomain) {
    rules.push({ rule: 'blocklist_domain', reason: `the email domain matches blocklisted ${blockedDomain}` });
    escalate('reject');
  }
  if (facts.domain.is_disposable) {
    rules.push({ rule: 'disposable_email', reason: `${facts.domain.email_domain} is a disposable-address provider` });
    escalate('hold');
  }

  const limits = policy.rate_limits;
  if (facts.submitter_ip && facts.prior_from_ip >= limits.per_ip.max) {
    rules.push({ rule: 'rate_limit_ip', reason: `${facts.prior_from_ip} earlier submissions from this IP in ${limits.per_ip.window_minutes} min (limit ${limits.per_ip.max})` });
    escalate(limits.on_exceed);
  }
  // Free-mail domains are shared by millions of people: a per-domain limit on them would punish strangers.
  if (!facts.domain.is_free_mail && facts.prior_from_domain >= limits.per_domain.max) {
    rules.push({ rule: 'rate_limit_domain', reason: `${facts.prior_from_domain} earlier submissions from ${facts.domain.email_domain} in ${limits.per_domain.window_minutes} min (limit ${limits.per_domain.max})` });
    escalate(limits.on_exceed);
  }
  return { verdict, rules };
}
