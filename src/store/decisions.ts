import type { z } from 'zod';
import { DecisionSchema, HumanInputSchema, type Decision, type HumanInput } from '../core/decision.ts';
import { EnrichmentSchema, type Enrichment } from '../core/enrichment.ts';
import { ClassifierResultSchema, type ClassifierResult } from '../core/classification.ts';
import type { Db } from './db.ts';

export type DecisionStatus = 'executed' | 'pending_review' | 'approved' | 'rejected' | 'superseded';

export interface DecisionRow {
  id: string;
  lead_id: string;
  version: number;
  final_action: string;
  status: DecisionStatus;
  decision_json: string;
  classification_json: string | null;
  enrichment_json: string | null;
  human_json: string | null;
  decided_by: string | null;
  correlation_id: string;
  created_at: string;
  resolved_at: string | null;
}

/** A stored decision with its JSON re-validated (parse, don't trust what we read back): the one reader for every stage. */
export interface StoredDecision {
  row: DecisionRow;
  decision: Decision;
  classification: ClassifierResult | null;
  enrichment: Enrichment | null;
  human: HumanInput | null;
}

function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (text === null) return null;
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export function toStored(row: DecisionRow): StoredDecision {
  return {
    row,
    decision: DecisionSchema.parse(JSON.parse(row.decision_json)),
    classification: parseJson(row.classification_json, ClassifierResultSchema),
    enrichment: parseJson(row.enrichment_json, EnrichmentSchema),
    human: parseJson(row.human_json, HumanInputSchema),
  };
}

export function getDecision(db: Db, id: string): StoredDecision | null {
  const row = db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as DecisionRow | undefined;
  return row ? toStored(row) : null;
}

export function latestDecision(db: Db, leadId: string): StoredDecision | null {
  const row = db.prepare('SELECT * FROM decisions WHERE lead_id = ? ORDER BY version DESC LIMIT 1').get(leadId) as DecisionRow | undefined;
  return row ? toStored(row) : null;
}

/** The decision a review card is about: the one waiting, else the last one a human resolved, else the latest. */
export function reviewedDecision(db: Db, leadId: string): StoredDecision | null {
  const row = db
    .prepare(`SELECT * FROM decisions WHERE lead_id = ? ORDER BY
      CASE status WHEN 'pending_review' THEN 0 WHEN 'approved' THEN 1 WHEN 'rejected' THEN 1 ELSE 2 END, version DESC LIMIT 1`)
    .get(leadId) as DecisionRow | undefined;
  return row ? toStored(row) : null;
}
