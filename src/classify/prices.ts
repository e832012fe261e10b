import type { ClassifierUsage } from '../core/classification.ts';

/** USD per million tokens. Cache writes cost 1.25x input (5-minute TTL); cache reads 0.1x. */
interface Price {
  input: number;
  output: number;
}

/** The one price table. Model ids match by prefix so dated snapshots (claude-haiku-4-5-20251001) resolve. */
export const PRICES: Readonly<Record<string, Price>> = {
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-opus-4-5': { input: 5, output: 25 },
};

export function priceOf(model: string): Price | null {
  const key = Object.keys(PRICES).find((k) => model === k || model.startsWith(`${k}-`));
  return key ? PRICES[key]! : null;
}

/** Cost of one call; an unknown model costs NaN-free 0 and is flagged by the caller, never guessed. */
export function costUsd(model: string, u: ClassifierUsage): number {
  const p = priceOf(model);
  if (!p) return 0;
  const perToken = (perMTok: number): number => perMTok / 1_000_000;
  return (
    u.input_tokens * perToken(p.input) +
    u.cache_creation_input_tokens * perToken(p.input * 1.25) +
    u.cache_read_input_tokens * perToken(p.input * 0.1) +
    u.output_tokens * perToken(p.output)
  );
}

export function addUsage(a: ClassifierUsage, b: ClassifierUsage): ClassifierUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
  };
}
