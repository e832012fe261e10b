import { readFileSync } from 'node:fs';
import { createReader, type LearnedReader, type LearnedReading } from './model.ts';

export type { LearnedReader, LearnedReading } from './model.ts';

/** Trained by `npm run train-key` on the labelled sets it names; see data/eval/README.md. */
export const SHIPPED_MODEL_URL = new URL('./model.json', import.meta.url);

let reader: LearnedReader | null = null;

/** The shipped model's reading of a message (the model loads on first use). */
export function readLearned(message: string): LearnedReading {
  reader ??= createReader(readFileSync(SHIPPED_MODEL_URL, 'utf8'));
  return reader(message);
}

/** Reads with another model until called again with null: the trainer's cross-validation scores a model trained without the set it scores. */
export function useLearnedModel(modelJson: string | null): void {
  reader = modelJson === null ? null : createReader(modelJson);
}
