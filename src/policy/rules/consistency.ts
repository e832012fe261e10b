import type { Rule } from './types.ts';
import type { Assignee, Intent, RecommendedAction } from './aliases.ts';

/** The actions each intent may lead to; anything else means the model contradicted itself. */
const ACTIONS_FOR_INTENT: Record<Intent, readonly RecommendedAction[]> = {
  buying: ['auto_route_sales', 'human_review'],
  researching: ['auto_route_sales', 'human_review'],
  support: ['auto_route_support', 'human_review'],
  spam: ['auto_reject_spam', 'human_review'],
  unclear: ['human_review'],
};

const ASSIGNEES_FOR_ACTION: Record<RecommendedAction, readonly (Assignee | null)[]> = {
  auto_route_sales: ['sales', 'founder'],
  auto_route_support: ['support'],
  auto_reject_spam: [null],
  human_review: ['sales', 'founder', 'support', null],
};

export const spamWithFit: Rule = (p, ctx) => {
  const max = ctx.policy.thresholds.spam_max_fit_score;
  if (ctx.humanVouched || p.intent !== 'spam' || p.fit_score <= max) return null;
  return { hit: { rule: 'inconsistent_spam_fit', reason: `spam with fit score ${p.fit_score} above ${max}` }, block: 'all' };
};

export const intentAction: Rule = (p) => {
  if (ACTIONS_FOR_INTENT[p.intent].includes(p.recommended)) return null;
  return { hit: { rule: 'inconsistent_intent_action', reason: `intent ${p.intent} does not lead to ${p.recommended}` }, block: 'all' };
};

export const assigneeAction: Rule = (p) => {
  if (ASSIGNEES_FOR_ACTION[p.recommended].includes(p.route)) return null;
  return { hit: { rule: 'inconsistent_assignee', reason: `assignee ${p.route ?? 'none'} contradicts ${p.recommended}` }, block: 'all' };
};
