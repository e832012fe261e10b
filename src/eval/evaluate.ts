import type { Classifier } from '../pipeline/stages.ts';
import type { Policy } from '../policy/schema.ts';
import type { EvalCase } from './dataset.ts';
import type { Outcome } from './gates.ts';
import { computeLiarReport } from './harm.ts';
import { computeReport } from './metrics.ts';
import { predictionsOf, type Prediction } from './predictions.ts';
import { runEval } from './run.ts';
import { scriptedModels, type ScriptedModel } from './scripted.ts';

/** Runs one model on a set and scores it: the liar gets its own report, every other model the usual one. */
export async function evaluate(cases: readonly EvalCase[], deps: { model: Classifier | ScriptedModel; policy: Policy; policyHash: string }): Promise<{ outcome: Outcome; predictions: Prediction[] }> {
  const { model, policy, policyHash } = deps;
  const rows = await runEval(cases, { classifier: typeof model === 'string' ? scriptedModels(model) : model, policy, policyHash });
  const liar = model === 'liar';
  const outcome: Outcome = liar ? { kind: 'liar', liar: computeLiarReport(rows) } : { kind: 'report', report: computeReport(rows, policy) };
  return { outcome, predictions: predictionsOf(rows, { liar }) };
}
