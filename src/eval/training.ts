import { loadSet, type EvalCase } from './dataset.ts';
import type { Example } from '../classify/learned/model.ts';

/**
 * The eval sets the shipped model learns from (and cross-validation scores), in this order. A set added to data/eval/
 * is not learned from until it is named here: a held-out set stays held out.
 */
export const TRAINING_SETS = ['leads', 'holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7', 'holdout8', 'holdout9', 'holdout10', 'holdout11', 'holdout12', 'holdout13'] as const;

/** Every case the intake accepts, as a message and its labelled intent. */
export function examplesOf(cases: readonly EvalCase[]): Example[] {
  return cases.flatMap((c) => (c.lead ? [{ message: c.lead.message, intent: c.expected.intent }] : []));
}

/** What a model learns from: the named sets' accepted cases, in order. */
export function trainingExamples(sets: readonly string[]): Example[] {
  return sets.flatMap((s) => examplesOf(loadSet(s)));
}
