import { readFileSync } from 'node:fs';
import { parseDataset, type EvalCase } from './dataset.ts';
import type { Example } from '../classify/learned/model.ts';

/**
 * The labelled sets the shipped model learns from, in this order. A set added to data/eval/ is not learned from until
 * it is named here: a held-out set stays held out.
 */
export const TRAINING_SETS = ['leads', 'holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7'] as const;

const setPath = (set: string): string => `data/eval/${set}.jsonl`;

export function loadSet(set: string): EvalCase[] {
  return parseDataset(readFileSync(setPath(set), 'utf8'), setPath(set));
}

/** Every case the intake accepts, as a message and its labelled intent. */
export function examplesOf(cases: readonly EvalCase[]): Example[] {
  return cases.flatMap((c) => (c.lead ? [{ message: c.lead.message, intent: c.expected.intent }] : []));
}
