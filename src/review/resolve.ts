import type { HumanInput } from '../core/decision.ts';
import { AppError } from '../core/errors.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { commitDecision } from '../pipeline/commit.ts';
import type { DecideFn } from '../pipeline/stages.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import { getDecision, toStored, type DecisionRow } from '../store/decisions.ts';
import { rebuildDecideInput } from './decideInput.ts';
import { isKillSwitchOn } from '../pipeline/kill-switch.ts';

export interface ReviewDeps {
  db: Db;
  audit: AuditLog;
  leads: LeadStore;
  loaded: LoadedPolicy;
  decide: DecideFn;
  clock?: () => number;
}

export type ReviewKind = 'approve' | 'reject' | 'edit';

export interface ReviewRequest {
  decisionId: string;
  kind: ReviewKind;
  /** Slack user id of the (already authorized) approver. */
  userId: string;
  reason: string | null;
  override?: HumanInput['override'];
}

export type ReviewOutcome =
  | { outcome: 'resolved'; lead_id: string; decision_id: string; new_decision_id: string; final_action: string }
  | { outcome: 'already_handled'; lead_id: string; status: string; by: string | null; at: string | null }
  /** Approve on a review whose agent proposed no route: nothing changed, the review stays open for Edit & approve or Reject. */
  | { outcome: 'nothing_to_approve'; lead_id: string };

/** Thrown inside the transaction so the review's consumption rolls back. */
class NothingToApprove extends Error {
  constructor(readonly leadId: string) {
    super('nothing to approve');
  }
}

const STATUS: Record<ReviewKind, 'approved' | 'rejected'> = { approve: 'approved', edit: 'approved', reject: 'rejected' };

/**
 * Consumes a pending review exactly once. The conditional UPDATE … WHERE status = 'pending_review'
 * is the lock: of two approvers clicking at once (or Slack retrying), one gets the row back and
 * the other gets `already_handled`. The human's input is then re-checked by the policy (decide)
 * and the new version's effects go out through the outbox in the same transaction.
 */
export function resolveReview(deps: ReviewDeps, req: ReviewRequest): ReviewOutcome {
  try {
    return consumeReview(deps, req);
  } catch (err) {
    if (err instanceof NothingToApprove) return { outcome: 'nothing_to_approve', lead_id: err.leadId };
    throw err;
  }
}

function consumeReview(deps: ReviewDeps, req: ReviewRequest): ReviewOutcome {
  const { db, audit } = deps;
  const human: HumanInput = { kind: req.kind, user_id: req.userId, reason: req.reason, override: req.override ?? null };
  return db.transaction((): ReviewOutcome => {
    const now = new Date().toISOString();
    const claimed = db
      .prepare(`UPDATE decisions SET status = ?, decided_by = ?, resolved_at = ?, human_json = ?
        WHERE id = ? AND status = 'pending_review' RETURNING *`)
      .get(STATUS[req.kind], req.userId, now, JSON.stringify(human), req.decisionId) as DecisionRow | undefined;
    if (!claimed) {
      const current = getDecision(db, req.decisionId);
      if (!current) throw new AppError('not_found', `decision ${req.decisionId} not found`);
      return { outcome: 'already_handled', lead_id: current.row.lead_id, status: current.row.status, by: current.row.decided_by, at: current.row.resolved_at };
    }
    const stored = toStored(claimed);
    const lead = deps.leads.get(claimed.lead_id);
    if (!lead) throw new AppError('not_found', `lead ${claimed.lead_id} not found`);
    const killSwitch = isKillSwitchOn(db, deps.loaded.policy);
    const decision = deps.decide(rebuildDecideInput(stored, lead, deps.loaded, killSwitch, human));
    if (decision.rules.some((r) => r.rule === 'approval_without_route')) throw new NothingToApprove(claimed.lead_id);
    audit.record({
      lead_id: claimed.lead_id,
      correlation_id: claimed.correlation_id,
      stage: 'review',
      event: `review_${req.kind}`,
      actor: req.userId,
      decision: decision.final_action,
      reason: req.reason,
      output: { decision_id: claimed.id, version: claimed.version, override: human.override },
      policy_hash: deps.loaded.hash,
    });
    const committed = commitDecision(db, audit, {
      lead_id: claimed.lead_id,
      correlation_id: claimed.correlation_id,
      decision,
      classification: stored.classification,
      enrichment: stored.enrichment,
      human,
      actor: req.userId,
      routing: { policy: deps.loaded.policy, lead: lead.lead, now: deps.clock?.() ?? Date.now() },
    });
    return { outcome: 'resolved', lead_id: claimed.lead_id, decision_id: claimed.id, new_decision_id: committed.decision_id, final_action: decision.final_action };
  }).immediate();
}
