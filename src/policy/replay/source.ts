import type { z } from 'zod';
import { ClassifierResultSchema, type ClassifierResult } from '../../core/classification.ts';
import { DecisionSchema, type Decision } from '../../core/decision.ts';
import { EnrichmentSchema, type Enrichment } from '../../core/enrichment.ts';
import { firstIssueLine } from '../../core/errors.ts';
import { domainOnlyEnrichment } from '../../enrich/domain-facts.ts';
import { humanOutcome, type HumanOutcome } from '../../review/humanOutcome.ts';
import type { AssignmentRow } from '../../routing/ledger.ts';
import type { Db } from '../../store/db.ts';
import type { DecisionRow } from '../../store/decisions.ts';
import { LeadStore, type LeadRecord } from '../../store/leads.ts';
import type { QueueName } from '../schema.ts';

/** One stored lead as the replay re-decides it: its first automatic decision and the frozen inputs behind it. */
export interface ReplayLead {
  record: LeadRecord;
  /**
   * "Before": the lead's first decision made by a pipeline run (lowest version with a job), i.e. what the policy
   * did when the lead arrived. Later versions are people's (approve, edit, reject) or reprocesses; a person's
   * outcome is shown beside the replay, never re-decided.
   */
  before: { row: DecisionRow; decision: Decision };
  classification: ClassifierResult;
  enrichment: Enrichment;
  /** The assignment the before decision made (null when it routed nobody, or was made before routing existed). */
  assignment: AssignmentRow | null;
  human: (HumanOutcome & { final_action: string }) | null;
}

export type SkipReason = 'not_decided' | 'lead_unreadable' | 'decision_unreadable' | 'classification_missing' | 'classification_schema' | 'enrichment_schema';

export const SKIP_WHY: Record<SkipReason, string> = {
  not_decided: 'no automatic decision yet (still in the pipeline, parked or failed)',
  lead_unreadable: 'the stored lead does not parse under the current schema',
  decision_unreadable: 'the stored decision does not parse under the current schema',
  classification_missing: 'no classification was stored with the decision',
  classification_schema: 'the stored classification was made under an older schema (it does not parse now)',
  enrichment_schema: 'the stored enrichment was made under an older schema (it does not parse now)',
};

export interface Skipped { lead_id: string; reason: SkipReason; detail: string | null }

export interface Selection { leads: ReplayLead[]; skipped: Skipped[] }

type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

function parseStored<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, detail: firstIssueLine(r.error.issues).line };
}

/** The stored set a replay covers: leads created since `sinceIso` (all when null) whose route was or became `queue`. */
export function selectLeads(db: Db, opts: { sinceIso: string | null; queue: QueueName | null }): Selection {
  const store = new LeadStore(db);
  const ids = db.prepare("SELECT id FROM leads WHERE created_at >= ? AND status != 'erased' ORDER BY created_at, id").pluck().all(opts.sinceIso ?? '') as string[];
  const firstAuto = db.prepare('SELECT * FROM decisions WHERE lead_id = ? AND job_id IS NOT NULL ORDER BY version LIMIT 1');
  const latestRoute = db.prepare('SELECT decision_json FROM decisions WHERE lead_id = ? ORDER BY version DESC LIMIT 1').pluck();
  const assignmentOf = db.prepare('SELECT * FROM assignments WHERE decision_id = ? ORDER BY id LIMIT 1');
  const leads: ReplayLead[] = [];
  const skipped: Skipped[] = [];
  const skip = (lead_id: string, reason: SkipReason, detail: string | null = null) => skipped.push({ lead_id, reason, detail });

  for (const id of ids) {
    const row = firstAuto.get(id) as DecisionRow | undefined;
    if (!row) {
      skip(id, 'not_decided');
      continue;
    }
    const decision = parseStored(row.decision_json, DecisionSchema);
    if (!decision.ok) {
      skip(id, 'decision_unreadable', decision.detail);
      continue;
    }
    if (opts.queue && !routedTo(decision.value, latestRoute.get(id) as string, opts.queue)) continue;
    let record: LeadRecord | null;
    try {
      record = store.get(id);
    } catch {
      record = null;
    }
    if (!record) {
      skip(id, 'lead_unreadable');
      continue;
    }
    if (row.classification_json === null) {
      skip(id, 'classification_missing');
      continue;
    }
    const classification = parseStored(row.classification_json, ClassifierResultSchema);
    if (!classification.ok) {
      skip(id, 'classification_schema', classification.detail);
      continue;
    }
    const enrichment = row.enrichment_json === null ? null : parseStored(row.enrichment_json, EnrichmentSchema);
    if (enrichment && !enrichment.ok) {
      skip(id, 'enrichment_schema', enrichment.detail);
      continue;
    }
    const human = humanOutcome(db, id);
    const latest = human ? parseStored(latestRoute.get(id) as string, DecisionSchema) : null;
    leads.push({
      record,
      before: { row, decision: decision.value },
      classification: classification.value,
      // Every pipeline run stores its enrichment; a missing one reads as the domain facts alone would.
      enrichment: enrichment?.value ?? domainOnlyEnrichment(record.lead.email, [{ step: 'enrichment', reason: 'not_stored' }]),
      assignment: (assignmentOf.get(row.id) as AssignmentRow | undefined) ?? null,
      human: human ? { ...human, final_action: latest?.ok ? latest.value.final_action : 'unknown' } : null,
    });
  }
  return { leads, skipped };
}

/** `--queue`: the queue the first automatic decision routed to, or the one the lead ended up in. */
function routedTo(before: Decision, latestJson: string, queue: QueueName): boolean {
  if (before.route === queue) return true;
  const latest = parseStored(latestJson, DecisionSchema);
  return latest.ok && latest.value.route === queue;
}
