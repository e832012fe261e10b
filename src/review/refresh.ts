import { randomUUID } from 'node:crypto';
import { ClassificationSchema, ClassifierResultSchema, type ClassifierResult } from '../core/classification.ts';
import { DecisionSchema, type Decision } from '../core/decision.ts';
import { EnrichmentSchema, type Enrichment } from '../core/enrichment.ts';
import { AppError } from '../core/errors.ts';
import { enqueueEffect } from '../outbox/enqueue.ts';
import { commitDecision } from '../pipeline/commit.ts';
import type { RoutingInput } from '../routing/commitAssignment.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { getDecision, reviewedDecision, type StoredDecision } from '../store/decisions.ts';
import { LeadStore } from '../store/leads.ts';
import { HumanOutcomeSchema, type HumanOutcome } from './humanOutcome.ts';
import { refreshDiff, type RefreshDiff } from './refreshDiff.ts';

export interface RefreshInput {
  lead_id: string;
  correlation_id: string;
  job_id: number;
  requested_by: string;
  decision: Decision;
  classification: ClassifierResult | null;
  enrichment: Enrichment | null;
  human: HumanOutcome;
}

interface RefreshRow {
  id: string; lead_id: string; base_decision_id: string; requested_by: string; human_json: string; decision_json: string; classification_json: string | null;
  enrichment_json: string | null; status: 'open' | 'applied' | 'superseded'; resolved_by: string | null; resolved_at: string | null; correlation_id: string; created_at: string;
}

export interface StoredRefresh {
  row: RefreshRow;
  human: HumanOutcome;
  base: StoredDecision;
  decision: Decision;
  classification: ClassifierResult | null;
  diff: RefreshDiff;
}

const classificationOf = (c: ClassifierResult | null) => ClassificationSchema.safeParse(c?.classification).data ?? null;

/** What the fresh reading changes against the machine reading the person acted on. */
const diffAgainst = (base: StoredDecision, decision: Decision, classification: ClassifierResult | null): RefreshDiff =>
  refreshDiff({ decision: base.decision, classification: classificationOf(base.classification) }, { decision, classification: classificationOf(classification) });

/**
 * Keeps a reprocess's fresh reading of a lead a person decided, instead of committing it: the person's
 * outcome stands, the card's thread shows what changed, and only an approver's Apply commits it.
 * Called inside the job's commit transaction; a resumed job's second call is a no-op.
 */
export function recordRefresh(db: Db, audit: AuditLog, input: RefreshInput): { refresh_id: string; created: boolean } {
  const prior = db.prepare('SELECT id FROM lead_refreshes WHERE job_id = ?').pluck().get(input.job_id) as string | undefined;
  if (prior) return { refresh_id: prior, created: false };
  const base = reviewedDecision(db, input.lead_id);
  if (!base) throw new AppError('not_found', `lead ${input.lead_id} has no decision to refresh`);
  const id = randomUUID();
  const now = new Date().toISOString();
  db.prepare("UPDATE lead_refreshes SET status = 'superseded', resolved_at = ? WHERE lead_id = ? AND status = 'open'").run(now, input.lead_id);
  db.prepare(`INSERT INTO lead_refreshes (id, lead_id, job_id, base_decision_id, requested_by, human_json, decision_json, classification_json, enrichment_json, correlation_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    id, input.lead_id, input.job_id, base.row.id, input.requested_by, JSON.stringify(input.human), JSON.stringify(input.decision),
    input.classification ? JSON.stringify(input.classification) : null, input.enrichment ? JSON.stringify(input.enrichment) : null, input.correlation_id, now,
  );
  enqueueEffect(db, { lead_id: input.lead_id, decision_id: base.row.id, kind: 'slack_refresh_note', dedupe_key: `${id}:slack_refresh_note`, payload: { refresh_id: id }, correlation_id: input.correlation_id });
  const diff = diffAgainst(base, input.decision, input.classification);
  audit.record({
    lead_id: input.lead_id, correlation_id: input.correlation_id, stage: 'review', event: 'reprocess_refreshed', actor: input.requested_by,
    decision: input.decision.final_action, reason: `${input.human.kind} by ${input.human.by}: that outcome stands until an approver applies this reading`,
    output: { refresh_id: id, base_decision_id: base.row.id, human: input.human, diff }, policy_hash: input.decision.policy_hash,
  });
  return { refresh_id: id, created: true };
}

export function getRefresh(db: Db, id: string): StoredRefresh | null {
  const row = db.prepare('SELECT * FROM lead_refreshes WHERE id = ?').get(id) as RefreshRow | undefined;
  if (!row) return null;
  const base = getDecision(db, row.base_decision_id);
  if (!base) return null;
  const decision = DecisionSchema.parse(JSON.parse(row.decision_json));
  const classification = row.classification_json ? (ClassifierResultSchema.safeParse(JSON.parse(row.classification_json)).data ?? null) : null;
  const diff = diffAgainst(base, decision, classification);
  return { row, human: HumanOutcomeSchema.parse(JSON.parse(row.human_json)), base, decision, classification, diff };
}

export type ApplyOutcome =
  | { outcome: 'applied'; lead_id: string; decision_id: string; final_action: string }
  | { outcome: 'already_handled'; lead_id: string; status: string; by: string | null; at: string | null };

/**
 * An approver's explicit choice to let a refreshed reading replace a person's outcome: consumed once
 * (conditional UPDATE), then committed as a new decision version by that approver, effects and all.
 */
export function applyRefresh(db: Db, audit: AuditLog, refreshId: string, userId: string, routing?: Omit<RoutingInput, 'lead'>): ApplyOutcome {
  return db.transaction((): ApplyOutcome => {
    const now = new Date().toISOString();
    const claimed = db.prepare("UPDATE lead_refreshes SET status = 'applied', resolved_by = ?, resolved_at = ? WHERE id = ? AND status = 'open' RETURNING id")
      .pluck().get(userId, now, refreshId) as string | undefined;
    const refresh = getRefresh(db, refreshId);
    if (!refresh) throw new AppError('not_found', `no reprocess result ${refreshId}`);
    const { row } = refresh;
    if (!claimed) return { outcome: 'already_handled', lead_id: row.lead_id, status: row.status, by: row.resolved_by, at: row.resolved_at };
    audit.record({
      lead_id: row.lead_id, correlation_id: row.correlation_id, stage: 'review', event: 'refresh_applied', actor: userId, decision: refresh.decision.final_action,
      reason: 'an approver chose the reprocessed reading over the earlier human outcome', output: { refresh_id: row.id, diff: refresh.diff },
    });
    const lead = routing ? new LeadStore(db).get(row.lead_id) : null;
    const enrichment = row.enrichment_json ? (EnrichmentSchema.safeParse(JSON.parse(row.enrichment_json)).data ?? null) : null;
    const committed = commitDecision(db, audit, {
      lead_id: row.lead_id, correlation_id: row.correlation_id, decision: refresh.decision, classification: refresh.classification, enrichment, actor: userId,
      ...(routing && lead ? { routing: { ...routing, lead: lead.lead } } : {}),
    });
    return { outcome: 'applied', lead_id: row.lead_id, decision_id: committed.decision_id, final_action: refresh.decision.final_action };
  }).immediate();
}
