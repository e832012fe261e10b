import type { ClassifierResult } from '../../core/classification.ts';
import type { Decision, RuleHit } from '../../core/decision.ts';
import { leadStatusFor } from '../../pipeline/commit.ts';
import { precheck } from '../../pipeline/precheck.ts';
import { storedPrecheckFacts } from '../../pipeline/precheckFacts.ts';
import type { PrecheckResult } from '../../pipeline/stages.ts';
import type { LeadStore } from '../../store/leads.ts';
import { decide } from '../decide.ts';
import type { LoadedPolicy } from '../load.ts';
import type { Policy } from '../schema.ts';
import type { OwnerPick } from './owners.ts';
import type { ReplayLead } from './source.ts';

/** One side of a lead's comparison: what a policy decided and who it handed the lead to. */
export interface Side {
  final_action: Decision['final_action'];
  route: Decision['route'];
  needs_review: boolean;
  rules: RuleHit[];
  /** Routed by this decision (not held, not rejected). */
  routed: boolean;
  owner: string | null;
  pool: string | null;
}

export interface LeadOutcome {
  lead_id: string;
  email: string;
  created_at: string;
  before: Side & { policy_hash: string; prompt_version: string | null };
  after: Side;
  /** False when the before decision routed the lead but no assignment was stored with it (decided before routing). */
  owner_known: boolean;
  human: ReplayLead['human'];
  reclassified: boolean;
  notes: string[];
}

/**
 * The precheck is not stored, so it runs again under the candidate's blocklists and rate limits, counting earlier
 * leads from the store by created_at exactly as the pipeline does (process-lead.ts), so a lead's neighbours are
 * the ones it had. Domain facts come from the frozen enrichment.
 */
export function replayPrecheck(store: LeadStore, l: ReplayLead, policy: Policy): PrecheckResult {
  return precheck(storedPrecheckFacts(store, l.record, l.enrichment.domain, policy), policy);
}

/** The candidate's decision on the frozen (or freshly classified) inputs: the same pure decide() the pipeline runs. */
export function redecide(l: ReplayLead, candidate: LoadedPolicy, pre: PrecheckResult, classification: ClassifierResult): Decision {
  return decide({
    lead: l.record.lead, enrichment: l.enrichment, classification, policy: candidate.policy, policyHash: candidate.hash,
    // The candidate's own kill switch; the runtime pause is today's state, not the policy's.
    precheck: pre, killSwitch: candidate.policy.kill_switch, human: null,
  });
}

export function sideOf(d: Decision, owner: OwnerPick | null): Side {
  return {
    final_action: d.final_action, route: d.route, needs_review: d.needs_review, rules: d.rules,
    routed: leadStatusFor(d) === 'routed' && d.route !== null, owner: owner?.user ?? null, pool: owner?.pool ?? null,
  };
}

/** A lead counts as changed when its final action, review, route or owner differs. */
export function isChanged(o: LeadOutcome): boolean {
  const { before: b, after: a } = o;
  return b.final_action !== a.final_action || b.needs_review !== a.needs_review || b.route !== a.route || (o.owner_known && b.owner !== a.owner);
}
