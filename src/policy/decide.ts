import type { Classification } from '../core/classification.ts';
import type { Decision, FinalAction, HumanInput, RuleHit } from '../core/decision.ts';
import type { DecideFn, DecideInput } from '../pipeline/stages.ts';
import type { AutoAction } from './rules/aliases.ts';
import { applyConstraints, planActions } from './rules/plan.ts';
import { PROPOSAL_RULES } from './rules/index.ts';
import type { Proposal, RuleContext } from './rules/types.ts';
import { checkTwoKeys, rulesReading } from './keys.ts';
import { matchRoutingRule } from '../routing/rules.ts';

/** The policy's reading of the lead: what it would do automatically (`proposed`) and whether a human must look first. */
interface Outcome {
  proposal: Proposal | null;
  proposed: AutoAction | null;
  review: boolean;
  hits: RuleHit[];
  /** The model's and the deterministic layer's readings, shown side by side on the card. */
  readings?: { model: string; rules: string };
}

/** The second key: the deterministic layer must agree before anything automatic happens on the model's word. */
function withTwoKeys(input: DecideInput, o: Outcome): Outcome {
  if (!o.proposal) return o;
  const k = checkTwoKeys(o.review ? null : o.proposed, o.proposal, rulesReading(input));
  return { ...o, hits: [...o.hits, ...k.hits], review: o.review || k.review, readings: k.readings };
}

function proposalOf(c: Classification): Proposal {
  return { intent: c.intent, fit_score: c.fit_score, confidence: c.confidence, recommended: c.recommended_action, route: c.assigned_to, priority: c.priority };
}

/** What approving this proposal would do. */
function autoActionOf(p: Proposal): AutoAction | null {
  if (p.recommended !== 'human_review') return p.recommended;
  if (p.route === 'support') return 'auto_route_support';
  if (p.route === 'sales' || p.route === 'founder') return 'auto_route_sales';
  return p.intent === 'spam' ? 'auto_reject_spam' : null;
}

function evaluate(input: DecideInput, start: Proposal, humanVouched: boolean, hits: RuleHit[]): Outcome {
  const ctx: RuleContext = { lead: input.lead, enrichment: input.enrichment, policy: input.policy, precheck: input.precheck, humanVouched };
  let p = start;
  let block: 'none' | 'routing' | 'all' = 'none';
  for (const rule of PROPOSAL_RULES) {
    const effect = rule(p, ctx);
    if (!effect) continue;
    hits.push(effect.hit);
    p = effect.proposal ?? p;
    if (effect.block === 'all' || (effect.block === 'routing' && block === 'none')) block = effect.block;
  }
  const routing = p.recommended === 'auto_route_sales' || p.recommended === 'auto_route_support';
  const review = p.recommended === 'human_review' || block === 'all' || (block === 'routing' && routing);
  return { proposal: p, proposed: autoActionOf(p), review, hits };
}

function machineOutcome(input: DecideInput): Outcome {
  const hits: RuleHit[] = [];
  const c = input.classification;
  // No key is a mode the operator chose, not a failure: it reads as one on the card otherwise.
  if (c.fallback_reason === 'no_api_key') hits.push({ rule: 'classifier_mode', reason: 'read by the embedded offline classifier (no ANTHROPIC_API_KEY set)' });
  else if (c.fallback_reason === 'budget_exhausted') hits.push({ rule: 'budget_exhausted', reason: "today's model budget is spent: read by the embedded offline classifier and held for a person" });
  else if (c.fallback_reason) hits.push({ rule: 'classifier_fallback', reason: `${c.classifier} classifier answered (${c.fallback_reason})` });
  if (input.precheck.verdict === 'reject') {
    const why = input.precheck.rules.map((r) => r.reason).join('; ') || 'precheck rejected the lead';
    hits.push({ rule: 'precheck_reject', reason: why });
    const p: Proposal = { intent: 'spam', fit_score: 0, confidence: 1, recommended: 'auto_reject_spam', route: null, priority: 'low' };
    return { proposal: p, proposed: 'auto_reject_spam', review: false, hits };
  }
  if (!c.classification) {
    hits.push({ rule: 'classifier_failed', reason: c.failure ?? 'no valid classification' });
    return { proposal: null, proposed: null, review: true, hits };
  }
  const second = c.second_opinion?.classification;
  if (!second) {
    const o = withTwoKeys(input, evaluate(input, proposalOf(c.classification), false, hits));
    // Over budget only the embedded classifier read the lead: one key, so a person decides.
    return c.fallback_reason === 'budget_exhausted' ? { ...o, review: true } : o;
  }
  // The stronger model's answer is the one judged; if the two disagree, a human settles it.
  hits.push({ rule: 'second_opinion', reason: `${c.second_opinion?.model ?? 'second model'} consulted; its answer is used` });
  const o = withTwoKeys(input, evaluate(input, proposalOf(second), false, hits));
  if (second.intent === c.classification.intent && second.recommended_action === c.classification.recommended_action) return o;
  o.hits.push({ rule: 'second_opinion_disagrees', reason: `first: ${c.classification.intent}/${c.classification.recommended_action}, second: ${second.intent}/${second.recommended_action}` });
  return { ...o, review: true };
}

function editedOutcome(input: DecideInput, human: HumanInput): Outcome {
  const o = human.override ?? {};
  const base = input.classification.classification;
  const hits: RuleHit[] = [{ rule: 'human_edit', reason: `edited by ${human.user_id}${human.reason ? `: ${human.reason}` : ''}` }];
  let p: Proposal = base ? proposalOf(base) : { intent: 'unclear', fit_score: 0, confidence: 0, recommended: 'human_review', route: null, priority: 'medium' };
  if (o.intent) p = { ...p, intent: o.intent };
  if (o.priority) p = { ...p, priority: o.priority };
  if (o.route !== undefined) p = { ...p, route: o.route };
  const recommended = p.route === 'support' ? 'auto_route_support' : p.route ? 'auto_route_sales' : p.intent === 'spam' ? 'auto_reject_spam' : 'human_review';
  if (o.route !== undefined || o.intent) p = { ...p, recommended, confidence: 1 };
  return evaluate(input, p, true, hits);
}

/**
 * The queue a route goes to: the first routing rule that matches, unless a person picked the route.
 * Rules are the admin's deterministic word, so they may move a lead between queues after both keys agreed.
 */
function routedQueue(input: DecideInput, o: Outcome, personChoseRoute: boolean, hits: RuleHit[]): Decision['route'] {
  const route = o.proposed === 'auto_reject_spam' ? null : (o.proposal?.route ?? null);
  if (!route || personChoseRoute) return route;
  const match = matchRoutingRule(input.lead, input.enrichment, o.proposal?.intent ?? null, input.policy);
  if (!match) return route;
  const label = `rule ${match.index}${match.rule.name ? `: ${match.rule.name}` : ''}`;
  hits.push({ rule: 'routing_rule', reason: `${label} → ${match.rule.queue} queue${match.rule.pool ? `, ${match.rule.pool} pool` : ''}` });
  return match.rule.queue;
}

function build(input: DecideInput, o: Outcome, approved: boolean, extra: RuleHit[] = []): Decision {
  const planned = o.proposed ? planActions(o.proposed, input.policy) : [];
  const c = applyConstraints(planned, { policy: input.policy, execute: !o.review, approved, killSwitch: input.killSwitch });
  const final: FinalAction = input.killSwitch ? 'hold' : o.review || !o.proposed ? 'human_review' : o.proposed;
  const routeHits: RuleHit[] = [];
  const route = routedQueue(input, o, input.human?.kind === 'edit' && input.human.override?.route !== undefined, routeHits);
  return {
    final_action: final,
    route,
    priority: o.proposal?.priority ?? 'medium',
    actions: c.actions,
    held_actions: c.held,
    rules: [...o.hits, ...routeHits, ...extra, ...c.hits],
    needs_review: final === 'human_review' || c.held.length > 0,
    policy_hash: input.policyHash,
    ...(o.readings ? { readings: o.readings } : {}),
  };
}

/**
 * A human reject is final and not spam-specific: final_action stays `human_review` (resolved, so
 * needs_review is false), rule `human_rejected`, and the only action is `reject_lead` (the lead's
 * status), still subject to forbidden actions and the kill switch.
 */
function rejected(input: DecideInput, human: HumanInput): Decision {
  const c = applyConstraints(['reject_lead'], { policy: input.policy, execute: true, approved: true, killSwitch: input.killSwitch });
  const hit = { rule: 'human_rejected', reason: `rejected by ${human.user_id}${human.reason ? `: ${human.reason}` : ''}` };
  return {
    final_action: input.killSwitch ? 'hold' : 'human_review',
    route: null,
    priority: input.classification.classification?.priority ?? 'low',
    actions: c.actions,
    held_actions: c.held,
    rules: [hit, ...c.hits],
    needs_review: c.held.length > 0,
    policy_hash: input.policyHash,
  };
}

/** Approval runs what the machine decision held, re-checked: forbidden actions and the kill switch still win. */
function approvedDecision(input: DecideInput, human: HumanInput): Decision {
  const m = machineOutcome(input);
  const hit = { rule: 'human_approved', reason: `approved by ${human.user_id}` };
  if (!m.proposed) return build(input, m, false, [hit, { rule: 'approval_without_route', reason: 'nothing to approve: edit the lead to choose a route' }]);
  const planned = planActions(m.proposed, input.policy);
  const first = applyConstraints(planned, { policy: input.policy, execute: !m.review, approved: false, killSwitch: false });
  const second = applyConstraints(first.held, { policy: input.policy, execute: true, approved: true, killSwitch: input.killSwitch });
  const routeHits: RuleHit[] = [];
  const route = routedQueue(input, m, false, routeHits);
  return {
    final_action: input.killSwitch ? 'hold' : m.proposed,
    route,
    priority: m.proposal?.priority ?? 'medium',
    actions: second.actions,
    held_actions: second.held,
    rules: [...m.hits, ...routeHits, ...first.hits.filter((h) => h.rule !== 'approval_required'), hit, ...second.hits],
    needs_review: second.held.length > 0,
    policy_hash: input.policyHash,
    ...(m.readings ? { readings: m.readings } : {}),
  };
}

/** Pure: (lead, enrichment, classification, policy, human input?) → Decision. No clock, no I/O. */
export const decide: DecideFn = (input) => {
  const human = input.human ?? null;
  if (human?.kind === 'reject') return rejected(input, human);
  if (human?.kind === 'approve') return approvedDecision(input, human);
  if (human?.kind === 'edit') return build(input, editedOutcome(input, human), true);
  const extra = human?.kind === 'claim' ? [{ rule: 'human_claimed', reason: `claimed by ${human.user_id}` }] : [];
  return build(input, machineOutcome(input), false, extra);
};
