import { performance } from 'node:perf_hooks';
import { createOfflineClassifier } from '../classify/index.ts';
import type { ClassifierResult } from '../core/classification.ts';
import type { Decision } from '../core/decision.ts';
import { domainOnlyEnrichment } from '../enrich/domain-facts.ts';
import { decide } from '../policy/decide.ts';
import type { Policy } from '../policy/schema.ts';
import type { Classifier, PrecheckResult } from '../pipeline/stages.ts';
import { caseEnrichment, precheckAll } from './context.ts';
import type { EvalCase } from './dataset.ts';

/** One classifier answer on a case and what the policy decided from it. */
export interface EvalRun {
  result: ClassifierResult;
  decision: Decision;
}

export interface EvalRow {
  case: EvalCase;
  /** null for a case the intake refused: it has no runs. */
  precheck: PrecheckResult | null;
  /** One per classifier the model asked for on this case (the liar: one per lie; others: one). */
  runs: EvalRun[];
  /** Wall time of precheck + classify + decide for this case, all runs. */
  latency_ms: number;
}

/** Which classifiers answer a case: one for a real classifier, several for the liar. */
export type ModelFor = (c: EvalCase) => readonly Classifier[];

/**
 * The real path up to the decision, with no side effects: intake validation → precheck →
 * enrichment (domain facts plus the case's facts) → classifier → decide, once per classifier.
 */
export async function runEval(cases: readonly EvalCase[], deps: { classifier: Classifier | ModelFor; policy: Policy; policyHash: string }): Promise<EvalRow[]> {
  const { classifier, policy, policyHash } = deps;
  const modelFor: ModelFor = typeof classifier === 'function' ? classifier : () => [classifier];
  const offline = createOfflineClassifier();
  const prechecks = precheckAll(cases, policy);
  const rows: EvalRow[] = [];
  for (const [i, c] of cases.entries()) {
    const started = performance.now();
    const pre = prechecks[i] ?? null;
    if (!c.lead || !pre) {
      rows.push({ case: c, precheck: null, runs: [], latency_ms: performance.now() - started });
      continue;
    }
    const lead = c.lead;
    // As the pipeline does: a lead the precheck rejects is not enriched and never reaches the model.
    const rejected = pre.verdict === 'reject';
    const enrichment = rejected ? domainOnlyEnrichment(lead.email, [{ step: 'all', reason: 'skipped: precheck rejected the lead' }]) : caseEnrichment(lead, c.facts);
    const runs: EvalRun[] = [];
    for (const model of rejected ? [offline] : modelFor(c)) {
      const result = await model.classify({ lead, enrichment, policy }, { lead_id: `eval:${c.id}`, correlation_id: `eval:${c.id}` });
      const decision = decide({ lead, enrichment, classification: result, policy, policyHash, precheck: pre, killSwitch: false, human: null });
      runs.push({ result, decision });
    }
    rows.push({ case: c, precheck: pre, runs, latency_ms: performance.now() - started });
  }
  return rows;
}
