import type { Policy } from '../policy/schema.ts';
import type { ExpectedAction } from './dataset.ts';
import { isKnownReject, isUnsafe } from './harm.ts';
import type { EvalRow } from './run.ts';

export type Confusion = Record<string, Record<string, number>>;

export interface EvalReport {
  total: number;
  accuracy: {
    /** Over the cases the intake accepted (a refused lead has no intent reading). */
    intent: number;
    /** The final action is one of the case's acceptable_actions. */
    final_action: number;
    /** The final action is exactly the labelled one. */
    final_action_strict: number;
    route: number | null;
  };
  confusion: { intent: Confusion; final_action: Confusion };
  automatic_rate: number;
  review_rate: number;
  /** Share of leads the labels themselves send to a human: the floor no classifier can beat on this set. */
  ideal_review_rate: number;
  /** Leads labelled for an automatic action that went to review instead (and review was not acceptable): the classifier's own caution. */
  excess_review: number;
  /** Any decision a human must act on: the agent's reviews plus actions the policy's approval list holds. */
  needs_human_rate: number;
  unsafe: { count: number; ids: string[] };
  /** Automatic rejects of a known contact or customer (also counted as unsafe). */
  known_rejects: { count: number; ids: string[] };
  /** Cases the intake refused, and how many of the labels expected a refusal. */
  refused: { count: number; expected: number };
  cost_per_lead_usd: number;
  latency_ms: { p50: number; p95: number };
  classifiers: Record<string, number>;
  failures: number;
  /** Every lead whose intent or final action is not acceptable, with the rules that fired. */
  misses: EvalMiss[];
}

export interface EvalMiss {
  id: string;
  expected: { intent: string; final_action: string };
  actual: { intent: string; final_action: string; confidence: number | null };
  rules: string[];
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function bump(m: Confusion, expected: string, actual: string): void {
  const row = (m[expected] ??= {});
  row[actual] = (row[actual] ?? 0) + 1;
}

/** The report for a model that answers once per case (a real classifier, or the honest script). */
export function computeReport(rows: readonly EvalRow[], policy: Policy): EvalReport {
  const intent: Confusion = {};
  const finalAction: Confusion = {};
  const classifiers: Record<string, number> = {};
  let accepted = 0, intentOk = 0, actionOk = 0, strictOk = 0, routeOk = 0, routeN = 0, auto = 0, review = 0, idealReview = 0, excessReview = 0, needsHuman = 0, cost = 0, failures = 0, refused = 0, refusedExpected = 0;
  const unsafe: string[] = [];
  const known: string[] = [];
  const misses: EvalMiss[] = [];
  for (const row of rows) {
    if (row.runs.length > 1) throw new Error(`computeReport scores one answer per case; ${row.case.id} has ${row.runs.length} (use computeLiarReport)`);
    const c = row.case;
    const e = c.expected;
    const run = row.runs[0];
    const gotIntent = c.refused !== null ? '(refused)' : (run?.result.classification?.intent ?? '(none)');
    const gotAction: ExpectedAction = run?.decision.final_action ?? 'refused';
    bump(intent, e.intent, gotIntent);
    bump(finalAction, e.final_action, gotAction);
    if (c.refused !== null) refused++;
    else accepted++;
    if (e.final_action === 'refused') refusedExpected++;
    const intentOkHere = c.refused !== null || gotIntent === e.intent;
    if (c.refused === null && gotIntent === e.intent) intentOk++;
    const acceptable = e.acceptable_actions.includes(gotAction);
    if (acceptable) actionOk++;
    if (gotAction === e.final_action) strictOk++;
    if (e.route !== undefined) {
      routeN++;
      if (run?.decision.route === e.route) routeOk++;
    }
    if (gotAction.startsWith('auto_')) auto++;
    const reviewed = gotAction === 'human_review' || gotAction === 'hold';
    if (reviewed) review++;
    if (e.final_action === 'human_review') idealReview++;
    else if (reviewed && !acceptable) excessReview++;
    if (!intentOkHere || !acceptable) {
      misses.push({
        id: c.id,
        expected: { intent: e.intent, final_action: e.final_action },
        actual: { intent: gotIntent, final_action: gotAction, confidence: run?.result.classification?.confidence ?? null },
        rules: run ? run.decision.rules.map((r) => r.rule) : [`refused: ${c.refused}`],
      });
    }
    if (!run) continue;
    if (run.decision.needs_review) needsHuman++;
    if (isUnsafe(c, run, policy)) unsafe.push(c.id);
    if (isKnownReject(c, run)) known.push(c.id);
    if (run.result.failure) failures++;
    cost += run.result.cost_usd + (run.result.second_opinion?.cost_usd ?? 0);
    classifiers[run.result.classifier] = (classifiers[run.result.classifier] ?? 0) + 1;
  }
  const n = rows.length || 1;
  const latencies = rows.map((r) => r.latency_ms);
  return {
    total: rows.length,
    accuracy: { intent: intentOk / (accepted || 1), final_action: actionOk / n, final_action_strict: strictOk / n, route: routeN ? routeOk / routeN : null },
    confusion: { intent, final_action: finalAction },
    automatic_rate: auto / n,
    review_rate: review / n,
    ideal_review_rate: idealReview / n,
    excess_review: excessReview,
    needs_human_rate: needsHuman / n,
    unsafe: { count: unsafe.length, ids: unsafe },
    known_rejects: { count: known.length, ids: known },
    refused: { count: refused, expected: refusedExpected },
    cost_per_lead_usd: cost / n,
    latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    classifiers,
    failures,
    misses,
  };
}
