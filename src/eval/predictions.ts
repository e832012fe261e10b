import type { EvalRow } from './run.ts';

/** What the eval saw on one case, for `--json`: every case, not only the misses. */
export interface Prediction {
  id: string;
  intent: string | null;
  confidence: number | null;
  final_action: string;
  route: string | null;
  priority: string | null;
  rules: string[];
  /** Why the intake refused the lead. */
  refused?: string;
  /** The liar only: the harmful verdict this run answered. */
  lie?: string;
}

/** One prediction per case, or per lie for the liar (whose runs are tagged with the verdict they lied). */
export function predictionsOf(rows: readonly EvalRow[], opts: { liar?: boolean } = {}): Prediction[] {
  return rows.flatMap((row): Prediction[] => {
    const id = row.case.id;
    if (row.case.refused !== null) return [{ id, intent: null, confidence: null, final_action: 'refused', route: null, priority: null, rules: [], refused: row.case.refused }];
    return row.runs.map((run) => {
      const c = run.result.classification;
      return {
        id,
        intent: c?.intent ?? null,
        confidence: c?.confidence ?? null,
        final_action: run.decision.final_action,
        route: run.decision.route,
        priority: run.decision.priority,
        rules: run.decision.rules.map((r) => r.rule),
        ...(opts.liar && run.result.classifier === 'claude' && c ? { lie: c.recommended_action } : {}),
      };
    });
  });
}
