import type { Rule } from './types.ts';
import { injectionSignals, matchPhrases, submissionText, wordCount } from './text.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import { displayDomain, lookalikeOf, mixedScriptDomain } from './lookalike.ts';

/** Independent evidence about the sender, beyond what they typed. */
export function hasIndependentEvidence(e: Enrichment): boolean {
  const h = e.crm_history;
  return e.company !== null || (h !== null && (h.contact_exists || h.existing_customer || h.open_deal));
}

export const precheckHold: Rule = (_p, ctx) => {
  if (ctx.humanVouched || ctx.precheck.verdict !== 'hold') return null;
  const why = ctx.precheck.rules.map((r) => r.rule).join(', ') || 'precheck';
  return { hit: { rule: 'precheck_hold', reason: `precheck held the lead (${why})` }, block: 'all' };
};

export const freeMailCap: Rule = (p, ctx) => {
  const cap = ctx.policy.thresholds.free_mail_confidence_cap;
  // The cap discounts claims about the company behind a lead, which a free-mail address cannot back;
  // a spam verdict does not rest on those claims, so it is left to the confidence floor.
  if (ctx.humanVouched || p.intent === 'spam' || !ctx.enrichment.domain.is_free_mail || hasIndependentEvidence(ctx.enrichment) || p.confidence <= cap) return null;
  return {
    hit: { rule: 'free_mail_cap', reason: `free-mail address with no enrichment: confidence ${p.confidence} capped at ${cap}` },
    proposal: { ...p, confidence: cap },
  };
};

/** Strong evidence that lets a short message keep its intent: a known customer or an open deal. */
function strongEvidence(e: Enrichment): boolean {
  const h = e.crm_history;
  return h !== null && (h.existing_customer || h.open_deal);
}

/** Too short to read an intent from, whatever the model says: neither routed nor rejected without a human. */
export const shortMessage: Rule = (p, ctx) => {
  const min = ctx.policy.thresholds.min_message_words;
  const words = wordCount(ctx.lead.message);
  if (ctx.humanVouched || words >= min || strongEvidence(ctx.enrichment)) return null;
  return {
    hit: { rule: 'short_message', reason: `message has ${words} word(s), under ${min}: treated as unclear` },
    proposal: { ...p, intent: 'unclear' },
    block: 'all',
  };
};

/** A sender domain imitating ours or a competitor's: nothing automatic, and the card names what it imitates. */
export const lookalikeDomain: Rule = (_p, ctx) => {
  if (ctx.humanVouched) return null;
  const domain = ctx.enrichment.domain.email_domain;
  const look = lookalikeOf(domain, [...ctx.policy.company.domains, ...ctx.policy.icp.competitor_domains]);
  if (look) return { hit: { rule: 'lookalike_domain', reason: `sender domain ${displayDomain(domain)} imitates ${look.imitates} (${look.why})` }, block: 'all' };
  if (mixedScriptDomain(domain)) return { hit: { rule: 'lookalike_domain', reason: `sender domain ${displayDomain(domain)} mixes scripts in one name` }, block: 'all' };
  return null;
};

export const disposableEmail: Rule = (_p, ctx) => {
  if (ctx.humanVouched || !ctx.enrichment.domain.is_disposable) return null;
  return { hit: { rule: 'disposable_email', reason: `disposable email domain ${ctx.enrichment.domain.email_domain}` }, block: 'routing' };
};

export const disqualifier: Rule = (_p, ctx) => {
  if (ctx.humanVouched) return null;
  const found = matchPhrases(submissionText(ctx.lead), ctx.policy.icp.disqualifiers);
  if (found.length === 0) return null;
  return { hit: { rule: 'disqualifier', reason: `disqualifier(s) in the submission: ${found.join(', ')}` }, block: 'routing' };
};

export const competitorOrBlocked: Rule = (_p, ctx) => {
  if (ctx.humanVouched) return null;
  const d = ctx.enrichment.domain;
  const domains = [d.email_domain, d.registrable_domain].filter((x): x is string => x !== null);
  if (domains.some((x) => ctx.policy.icp.competitor_domains.includes(x))) {
    return { hit: { rule: 'competitor', reason: `sender domain ${d.email_domain} belongs to a competitor` }, block: 'routing' };
  }
  if (domains.some((x) => ctx.policy.blocklist.domains.includes(x)) || ctx.policy.blocklist.emails.includes(ctx.lead.email)) {
    return { hit: { rule: 'blocklist', reason: `sender ${d.email_domain} is on the policy blocklist` }, block: 'routing' };
  }
  return null;
};

/** The model may have been steered; whatever it answered, this lead gets no automatic routing and no raised priority. */
export const injectionAttempt: Rule = (p, ctx) => {
  if (ctx.humanVouched) return null;
  const signals = injectionSignals(submissionText(ctx.lead));
  if (signals.length === 0) return null;
  return {
    hit: { rule: 'injection_suspected', reason: `submission contains instructions aimed at the classifier (${signals.length} pattern(s))` },
    proposal: { ...p, priority: p.priority === 'high' ? 'medium' : p.priority },
    block: 'routing',
  };
};
