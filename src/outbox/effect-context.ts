import { DecisionSchema, type Decision } from '../core/decision.ts';
import type { ClassifierResult } from '../core/classification.ts';
import { ClassificationSchema } from '../core/classification.ts';
import type { OutboxEffect } from '../core/effects.ts';
import { PermanentError } from '../core/upstream.ts';
import type { Db } from '../store/db.ts';
import { LeadStore, type LeadRecord } from '../store/leads.ts';

export interface EffectContext {
  lead: LeadRecord;
  decision: Decision;
  classification: ClassifierResult | null;
  decided_at: string;
}

interface DecisionRow { decision_json: string; classification_json: string | null; created_at: string; lead_id: string }

/** Reads what was committed for this effect (payloads carry ids only), re-validating the stored JSON. */
export function loadEffectContext(db: Db, effect: OutboxEffect): EffectContext {
  const lead = new LeadStore(db).get(effect.lead_id);
  if (!lead) throw new PermanentError(`${effect.kind}: lead ${effect.lead_id} not found`);
  const row = db.prepare('SELECT decision_json, classification_json, created_at, lead_id FROM decisions WHERE id = ?').get(effect.decision_id) as DecisionRow | undefined;
  if (!row || row.lead_id !== effect.lead_id) throw new PermanentError(`${effect.kind}: decision ${effect.decision_id} not found`);
  const decision = DecisionSchema.safeParse(JSON.parse(row.decision_json));
  if (!decision.success) throw new PermanentError(`${effect.kind}: stored decision is invalid`);
  let classification: ClassifierResult | null = null;
  if (row.classification_json) {
    const raw = JSON.parse(row.classification_json) as ClassifierResult;
    const inner = raw.classification ? ClassificationSchema.safeParse(raw.classification) : null;
    classification = { ...raw, classification: inner?.success ? inner.data : null };
  }
  return { lead, decision: decision.data, classification, decided_at: row.created_at };
}
