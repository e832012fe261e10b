import type { Assignee, Intent, Priority, RecommendedAction } from './aliases.ts';
import type { CanonicalLead } from '../../core/lead.ts';
import type { Enrichment } from '../../core/enrichment.ts';
import type { RuleHit } from '../../core/decision.ts';
import type { Policy } from '../schema.ts';
import type { PrecheckResult } from '../../pipeline/stages.ts';

/** What the policy is deciding about: the model's answer, progressively corrected by the rules. */
export interface Proposal {
  intent: Intent;
  fit_score: number;
  confidence: number;
  recommended: RecommendedAction;
  route: Assignee | null;
  priority: Priority;
}

export interface RuleContext {
  lead: CanonicalLead;
  enrichment: Enrichment;
  policy: Policy;
  precheck: PrecheckResult;
  /** True when a human edited the proposal: the evidence and confidence rules step aside. */
  humanVouched: boolean;
}

/**
 * `routing`: no automatic routing (rejecting spam stays possible). `all`: nothing automatic.
 * A rule may also correct the proposal (cap confidence, force `unclear`, lower priority).
 */
export interface RuleEffect {
  hit: RuleHit;
  proposal?: Proposal;
  block?: 'routing' | 'all';
}

export type Rule = (p: Proposal, ctx: RuleContext) => RuleEffect | null;
