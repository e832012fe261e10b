import type { CanonicalLead } from '../src/core/lead.ts';
import type { Assignee, Classification } from '../src/core/classification.ts';
import type { Action, FinalAction, HumanInput, RuleHit } from '../src/core/decision.ts';

/** Everything a card shows, read from the store by a presenter; builders never touch the store. */
export interface DecisionView {
  id: string;
  version: number;
  status: 'executed' | 'pending_review' | 'approved' | 'rejected' | 'superseded';
  final_action: FinalAction;
  route: Assignee | null;
  priority: string;
  rules: RuleHit[];
  held_actions: Action[];
  decided_by: string | null;
  resolved_at: string | null;
  human: HumanInput | null;
  /** Both keys' readings when the decision has them: "buying 0.95" and "spam 0.90; vendor pitch — 'our team can'". */
  readings: { model: string; rules: string } | null;
}

export interface CardState {
  lead: CanonicalLead & { id: string };
  classification: Classification | null;
  /** Why the classifier produced nothing usable, when it did not. */
  classifier_failure: string | null;
  decision: DecisionView;
  claim: { user_id: string; claimed_at: string } | null;
  /** Who owns the lead now and why (routing/ledger.ts); null before routing assigns anyone. */
  owner: OwnerView | null;
  crm_url: string | null;
}

export interface OwnerView {
  user_id: string | null;
  reason: string;
  assigned_at: string;
  accepted_at: string | null;
  /** The previous owner and why the lead moved, when it was reassigned. */
  moved_from: { user_id: string | null; why: string } | null;
}

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

export interface QueueItem {
  decision_id: string;
  lead_id: string;
  email: string;
  company: string | null;
  final_action: string;
  waiting_since: string;
}

/** A lead stored but not read yet (what a pause leaves waiting). */
export type WaitingItem = Pick<QueueItem, 'lead_id' | 'email' | 'company' | 'waiting_since'>;

export interface WindowStats {
  label: string;
  volume: number;
  automatic_rate: number | null;
  review_rate: number | null;
  median_first_touch_minutes: number | null;
  median_claim_minutes: number | null;
}

export interface TrailItem {
  at: string;
  stage: string;
  event: string;
  actor: string;
  decision: string | null;
  reason: string | null;
}

export interface ClaimedItem {
  lead_id: string;
  email: string;
  company: string | null;
  claimed_at: string;
}

/** The daily digest: the last 24 h window plus what an operator must see stuck right now. */
export interface DigestFigures extends WindowStats {
  window_start: string;
  window_end: string;
  pending_reviews: number;
  oldest_pending_minutes: number | null;
  /** Outbox effects in the dead letter and jobs that gave up, whatever their age: both need a person. */
  dead_effects: number;
  dead_jobs: number;
  classifier_cost_usd: number;
  paused: boolean;
}
