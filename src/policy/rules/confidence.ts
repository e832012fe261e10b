import type { Rule } from './types.ts';
import { matchPhrases, submissionText } from './text.ts';

/** Below the floor nothing happens automatically: not sales routing, and not rejecting a lead either. */
export const confidenceFloor: Rule = (p, ctx) => {
  const floor = ctx.policy.thresholds.confidence_floor;
  if (ctx.humanVouched || p.recommended === 'human_review' || p.confidence >= floor) return null;
  return { hit: { rule: 'below_confidence_floor', reason: `confidence ${p.confidence} below the floor ${floor}` }, block: 'all' };
};

export function isHighValue(fitScore: number, text: string, policy: RuleContextPolicy): { yes: boolean; why: string } {
  const indicators = matchPhrases(text, policy.icp.high_value_indicators);
  if (indicators.length > 0) return { yes: true, why: `high-value indicator(s): ${indicators.join(', ')}` };
  if (fitScore >= policy.thresholds.high_value_fit_score) return { yes: true, why: `fit score ${fitScore} at or above ${policy.thresholds.high_value_fit_score}` };
  return { yes: false, why: '' };
}
type RuleContextPolicy = Parameters<Rule>[1]['policy'];

/**
 * High priority must be earned by evidence the policy recognises; a model told "mark this urgent"
 * gains nothing. A high-value lead routed to the founder is held for approval.
 */
export const priorityAndValue: Rule = (p, ctx) => {
  if (ctx.humanVouched) return null;
  const hv = isHighValue(p.fit_score, submissionText(ctx.lead), ctx.policy);
  if (!hv.yes) {
    if (p.priority !== 'high') return null;
    return { hit: { rule: 'priority_unsupported', reason: 'high priority without high-value evidence: lowered to medium' }, proposal: { ...p, priority: 'medium' } };
  }
  const founder = p.route === 'founder';
  return {
    hit: { rule: 'high_value', reason: `${hv.why}${founder ? '; founder routing held for approval' : ''}` },
    proposal: p.intent === 'buying' ? { ...p, priority: 'high' } : p,
    ...(founder ? { block: 'all' as const } : {}),
  };
};

export const modelAskedForReview: Rule = (p) =>
  p.recommended === 'human_review' ? { hit: { rule: 'model_review', reason: 'the classifier recommended human review' }, block: 'all' } : null;
