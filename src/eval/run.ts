import { performance } from 'node:perf_hooks';
import type { ClassifierResult } from '../core/classification.ts';
import type { Decision } from '../core/decision.ts';
import { domainOnlyEnrichment } from '../enrich/domain-facts.ts';
import { decide } from '../policy/decide.ts';
import type { Policy } from '../policy/schema.ts';
import type { Classifier } from '../pipeline/stages.ts';
import type { EvalCase } from './dataset.ts';

export interface EvalRow {
  case: EvalCase;
  result: ClassifierResult;
  decision: Decision;
  /** Wall time of classify + decide for this lead. */
  latency_ms: number;
}

/** The real path up to the decision, with no side effects: enrichment → classifier → decide. */
export async function runEval(cases: readonly EvalCase[], deps: { classifier: Classifier; policy: Policy; policyHash: string }): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const c of cases) {
    const started = performance.now();
    // Domain facts only, as the pipeline sees a lead whose lookups all degraded.
    const enrichment = domainOnlyEnrichment(c.lead.email);
    const result = await deps.classifier.classify({ lead: c.lead, enrichment, policy: deps.policy }, { lead_id: `eval:${c.id}`, correlation_id: `eval:${c.id}` });
    const decision = decide({
      lead: c.lead,
      enrichment,
      classification: result,
      policy: deps.policy,
      policyHash: deps.policyHash,
      precheck: { verdict: 'continue', rules: [] },
      killSwitch: false,
      human: null,
    });
    rows.push({ case: c, result, decision, latency_ms: performance.now() - started });
  }
  return rows;
}
