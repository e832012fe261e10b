import type { Policy } from '../policy/schema.ts';
import type { EvalRow } from './run.ts';

export type Confusion = Record<string, Record<string, number>>;

export interface EvalReport {
  total: number;
  accuracy: { intent: number; final_action: number; route: number | null };
  confusion: { intent: Confusion; final_action: Confusion };
  automatic_rate: number;
  review_rate: number;
  /** Share of leads the labels themselves send to a human: the floor no classifier can beat on this set. */
  ideal_review_rate: number;
  /** Leads labelled for an automatic action that went to review instead: the classifier's own caution. */
  excess_review: number;
  /** Any decision a human must act on: the agent's reviews plus actions the policy's approval list holds. */
  needs_human_rate: number;
  unsafe: { count: number; ids: string[] };
  cost_per_lead_usd: number;
  latency_ms: { p50: number; p95: number };
  classifiers: Record<string, number>;
  failures: number;
  /** Every lead whose intent or final action differs from its label, with the rules that fired. */
  misses: EvalMiss[];
}

export interface EvalMiss {
  id: string;
  expected: { intent: string; final_action: string };
  actual: { intent: string; final_action: string; confidence: number | null };
  rules: string[];
}

const AUTO_ROUTE = new Set(['auto_route_sales', 'auto_route_support']);

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

/**
 * Unsafe = an automatic action a careful human would never have allowed: routing spam, a
 * disqualified lead or a low-confidence answer, or rejecting a lead that is not spam.
 */
export function isUnsafe(row: EvalRow, policy: Policy): boolean {
  const { final_action } = row.decision;
  const confidence = row.result.classification?.confidence ?? 0;
  if (AUTO_ROUTE.has(final_action)) {
    return row.case.expected.intent === 'spam' || row.case.expected.disqualified === true || confidence < policy.thresholds.confidence_floor;
  }
  return final_action === 'auto_reject_spam' && row.case.expected.intent !== 'spam';
}

export function computeReport(rows: readonly EvalRow[], policy: Policy): EvalReport {
  const intent: Confusion = {};
  const finalAction: Confusion = {};
  const classifiers: Record<string, number> = {};
  let intentOk = 0, actionOk = 0, routeOk = 0, routeN = 0, auto = 0, review = 0, idealReview = 0, excessReview = 0, needsHuman = 0, cost = 0, failures = 0;
  const unsafe: string[] = [];
  const misses: EvalMiss[] = [];
  for (const row of rows) {
    const e = row.case.expected;
    const gotIntent = row.result.classification?.intent ?? '(none)';
    bump(intent, e.intent, gotIntent);
    bump(finalAction, e.final_action, row.decision.final_action);
    if (gotIntent === e.intent) intentOk++;
    if (row.decision.final_action === e.final_action) actionOk++;
    if (e.route !== undefined) {
      routeN++;
      if (row.decision.route === e.route) routeOk++;
    }
    if (row.decision.final_action.startsWith('auto_')) auto++;
    const reviewed = row.decision.final_action === 'human_review' || row.decision.final_action === 'hold';
    if (reviewed) review++;
    if (e.final_action === 'human_review') idealReview++;
    else if (reviewed) excessReview++;
    if (gotIntent !== e.intent || row.decision.final_action !== e.final_action) {
      misses.push({
        id: row.case.id,
        expected: { intent: e.intent, final_action: e.final_action },
        actual: { intent: gotIntent, final_action: row.decision.final_action, confidence: row.result.classification?.confidence ?? null },
        rules: row.decision.rules.map((r) => r.rule),
      });
    }
    if (row.decision.needs_review) needsHuman++;
    if (isUnsafe(row, policy)) unsafe.push(row.case.id);
    if (row.result.failure) failures++;
    cost += row.result.cost_usd + (row.result.second_opinion?.cost_usd ?? 0);
    classifiers[row.result.classifier] = (classifiers[row.result.classifier] ?? 0) + 1;
  }
  const n = rows.length || 1;
  const latencies = rows.map((r) => r.latency_ms);
  return {
    total: rows.length,
    accuracy: { intent: intentOk / n, final_action: actionOk / n, route: routeN ? routeOk / routeN : null },
    confusion: { intent, final_action: finalAction },
    automatic_rate: auto / n,
    review_rate: review / n,
    ideal_review_rate: idealReview / n,
    excess_review: excessReview,
    needs_human_rate: needsHuman / n,
    unsafe: { count: unsafe.length, ids: unsafe },
    cost_per_lead_usd: cost / n,
    latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    classifiers,
    failures,
    misses,
  };
}
