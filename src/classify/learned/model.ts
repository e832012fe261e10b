import naiveBayes from 'wink-naive-bayes-text-classifier';
import { INTENTS, type Intent } from '../../core/classification.ts';
import { learnedTokens } from './tokens.ts';

/** A labelled message the reader learns from. */
export interface Example { message: string; intent: Intent }

/** The learned reader's view of a message: how likely each intent is, one against the rest. */
export interface LearnedReading {
  /** The most likely intent; null when the message holds no word the reader has seen. */
  intent: Intent | null;
  /** P(intent | words) for each intent against all the others (they need not sum to 1). */
  p: Record<Intent, number>;
  /** The same as log2 odds, which keep apart what the probabilities round to 1 (5 is 32 to 1, 20 a million to 1). */
  odds: Record<Intent, number>;
}

export type LearnedReader = (message: string) => LearnedReading;

// Presence, not counts: a pitch that repeats "grow" five times is no more a pitch. Half-add smoothing suits ~1,000 short texts.
const CONFIG = { considerOnlyPresence: true, smoothingFactor: 0.5 };

function classifier() {
  const nb = naiveBayes<string>();
  nb.definePrepTasks([learnedTokens]);
  nb.defineConfig(CONFIG);
  return nb;
}

/** A naive Bayes model of the examples, as JSON. The same examples in the same order give the same bytes. */
export function trainModel(examples: readonly Example[]): string {
  const nb = classifier();
  for (const e of examples) nb.learn(e.message, e.intent);
  nb.consolidate();
  return nb.exportJSON();
}

const probability = (log2Odds: number): number => 1 / (1 + 2 ** -log2Odds);

export function createReader(modelJson: string): LearnedReader {
  const nb = classifier();
  nb.importJSON(modelJson);
  nb.consolidate();
  return (message) => {
    const odds = new Map(nb.computeOdds(message));
    const log2Odds = Object.fromEntries(INTENTS.map((i) => [i, odds.get(i) ?? -Infinity])) as Record<Intent, number>;
    const p = Object.fromEntries(INTENTS.map((i) => [i, probability(log2Odds[i])])) as Record<Intent, number>;
    const known = INTENTS.some((i) => odds.get(i));
    const intent = known ? INTENTS.reduce((a, b) => (log2Odds[b] > log2Odds[a] ? b : a)) : null;
    return { intent, p, odds: log2Odds };
  };
}
