import type { Classification } from '../core/classification.ts';
import type { Decision } from '../core/decision.ts';

/** One reading of a lead: what the model said and what the policy made of it. */
export interface Reading {
  decision: Decision;
  classification: Classification | null;
}

export interface RefreshDiff {
  changes: Array<{ what: string; before: string; after: string }>;
  rules_added: string[];
  rules_removed: string[];
  /** The fresh reading would take the same final action on the same route. */
  same_outcome: boolean;
}

const model = (c: Classification | null): string =>
  c ? `${c.intent} ${c.confidence.toFixed(2)}, fit ${c.fit_score}, recommends ${c.recommended_action}` : 'no classification';

/** What a reprocess changed, figure by figure: pure, so the card, the CLI and the audit row say the same. */
export function refreshDiff(before: Reading, after: Reading): RefreshDiff {
  const pairs: Array<[string, string, string]> = [
    ['model', model(before.classification), model(after.classification)],
    ['final action', before.decision.final_action, after.decision.final_action],
    ['route', before.decision.route ?? 'none', after.decision.route ?? 'none'],
    ['priority', before.decision.priority, after.decision.priority],
    ['review', before.decision.needs_review ? 'needed' : 'not needed', after.decision.needs_review ? 'needed' : 'not needed'],
  ];
  const rulesBefore = new Set(before.decision.rules.map((r) => r.rule));
  const rulesAfter = new Set(after.decision.rules.map((r) => r.rule));
  return {
    changes: pairs.filter(([, b, a]) => b !== a).map(([what, b, a]) => ({ what, before: b, after: a })),
    rules_added: [...rulesAfter].filter((r) => !rulesBefore.has(r)),
    rules_removed: [...rulesBefore].filter((r) => !rulesAfter.has(r)),
    same_outcome: before.decision.final_action === after.decision.final_action && before.decision.route === after.decision.route,
  };
}
