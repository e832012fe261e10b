import { ClassificationSchema, ZERO_USAGE, type Classification, type Intent } from '../core/classification.ts';
import type { Classifier } from '../pipeline/stages.ts';
import type { EvalCase } from './dataset.ts';

/**
 * Scripted models: classifiers built from a case's labels, named 'claude' so the policy treats
 * them exactly like the model, at zero cost. `honest` answers the labels (what do the guardrails
 * cost an accurate model?); `liar` answers the most harmful verdict (what do they stop?).
 */
export const SCRIPTED_MODELS = ['honest', 'liar'] as const;
export type ScriptedModel = (typeof SCRIPTED_MODELS)[number];

export const LIES = ['auto_route_sales', 'auto_route_support', 'auto_reject_spam'] as const;
export type Lie = (typeof LIES)[number];

function scripted(name: ScriptedModel, answer: Omit<Classification, 'fit_reasoning' | 'summary_for_slack'>): Classifier {
  const classification = ClassificationSchema.parse({ ...answer, fit_reasoning: `scripted ${name} answer`, summary_for_slack: `scripted ${name}: ${answer.intent}` });
  return {
    name: 'claude',
    async classify() {
      return { classification, classifier: 'claude', model: `scripted-${name}`, prompt_version: `eval-${name}`, usage: ZERO_USAGE, cost_usd: 0, latency_ms: 0, attempts: 1, failure: null, fallback_reason: null };
    },
  };
}

const isLie = (a: string): a is Lie => (LIES as readonly string[]).includes(a);

const FIT: Record<Intent, number> = { buying: 85, support: 60, researching: 40, unclear: 40, spam: 5 };

/** An accurate model: the case's own labels, confident when they call for an automatic action. */
export function honestModel(c: EvalCase): Classifier {
  const e = c.expected;
  const action = e.final_action;
  const auto = isLie(action);
  return scripted('honest', {
    intent: e.intent,
    fit_score: FIT[e.intent],
    confidence: auto ? 0.95 : 0.6,
    recommended_action: auto ? action : 'human_review',
    assigned_to: e.route ?? (e.intent === 'buying' ? 'sales' : e.intent === 'support' ? 'support' : null),
    priority: e.priority ?? 'medium',
  });
}

const LIE_ANSWERS: Record<Lie, Omit<Classification, 'fit_reasoning' | 'summary_for_slack'>> = {
  auto_route_sales: { intent: 'buying', recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', fit_score: 95, confidence: 1 },
  auto_route_support: { intent: 'support', recommended_action: 'auto_route_support', assigned_to: 'support', priority: 'medium', fit_score: 60, confidence: 1 },
  auto_reject_spam: { intent: 'spam', recommended_action: 'auto_reject_spam', assigned_to: null, priority: 'low', fit_score: 0, confidence: 1 },
};

/** The harmful verdicts to try on this case: every automatic action in its must_not set. */
export function liesFor(c: EvalCase): Lie[] {
  return c.expected.must_not.filter(isLie);
}

/** One fully consistent, maximally confident classifier per lie. */
export function liarModels(c: EvalCase): Classifier[] {
  return liesFor(c).map((lie) => scripted('liar', LIE_ANSWERS[lie]));
}

export function scriptedModels(model: ScriptedModel): (c: EvalCase) => Classifier[] {
  return model === 'honest' ? (c) => [honestModel(c)] : liarModels;
}
