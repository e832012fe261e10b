import type { Decision } from '../core/decision.ts';
import type { Logger } from '../observability/logger.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { sameOutcome } from '../policy/shadow.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { DecideFn, DecideInput } from './stages.ts';

/** What the shadow candidate made of a lead: its decision, or why it could not decide. */
export type ShadowRun =
  | { ok: true; shadow: LoadedPolicy; decision: Decision }
  | { ok: false; shadow: LoadedPolicy; error: string };

/**
 * The candidate decides the very input the real decision saw (lead, enrichment, classification, precheck, kill
 * switch); only the policy differs. decide is pure, so this has no effect; anything it throws is kept, not raised.
 */
export function runShadow(shadow: LoadedPolicy, decide: DecideFn, input: DecideInput): ShadowRun {
  try {
    return { ok: true, shadow, decision: decide({ ...input, policy: shadow.policy, policyHash: shadow.hash, human: null }) };
  } catch (err) {
    return { ok: false, shadow, error: err instanceof Error ? err.message : String(err) };
  }
}

export interface ShadowRecord {
  lead_id: string;
  correlation_id: string;
  /** The real decision just committed. */
  decision_id: string;
  decision: Decision;
  run: ShadowRun;
  now: number;
}

/**
 * Stores the shadow's decision beside the real one, inside the real decision's transaction (call it there). Never
 * throws: a shadow that failed to decide, or whose row cannot be written, is logged and audited as `shadow_failed`,
 * and its savepoint rolls back alone, so the lead's own decision and effects commit untouched.
 */
export function recordShadow(db: Db, audit: AuditLog, logger: Logger, r: ShadowRecord): void {
  const failed = (error: string) => {
    logger.warn({ lead_id: r.lead_id, correlation_id: r.correlation_id, shadow_hash: r.run.shadow.hash, err: error }, 'shadow policy failed; the lead is unaffected');
    try {
      audit.record({
        lead_id: r.lead_id, correlation_id: r.correlation_id, stage: 'shadow', event: 'shadow_failed',
        reason: error.slice(0, 2000), policy_hash: r.run.shadow.hash, output: { decision_id: r.decision_id, shadow: r.run.shadow.path },
      });
    } catch (err) {
      logger.error({ lead_id: r.lead_id, err: (err as Error).message }, 'shadow failure could not be audited');
    }
  };
  if (!r.run.ok) return failed(r.run.error);
  const s = r.run.decision;
  try {
    db.transaction(() => {
      db.prepare(`INSERT OR IGNORE INTO shadow_decisions (decision_id, lead_id, shadow_hash, final_action, route, rules_json, decision_json, agrees, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        r.decision_id, r.lead_id, r.run.shadow.hash, s.final_action, s.route, JSON.stringify(s.rules), JSON.stringify(s),
        sameOutcome(r.decision, s) ? 1 : 0, r.now,
      );
    })();
  } catch (err) {
    failed(`storing the shadow decision: ${(err as Error).message}`);
  }
}
