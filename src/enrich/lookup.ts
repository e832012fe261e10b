import { BrokenCircuitError, ConsecutiveBreaker, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleAll, timeout, type CircuitBreakerPolicy } from 'cockatiel';
import type { EnrichmentCache } from './cache.ts';

export type LookupOutcome<T> = { ok: true; value: T; cached: boolean; ms: number } | { ok: false; reason: string; ms: number };

export interface LookupSpec<T> {
  step: string;
  /** Cache key; null disables caching for this call. */
  cacheKey: string | null;
  ttlMs: number;
  run: (signal: AbortSignal) => Promise<T>;
}

/**
 * Runs one enrichment lookup with a hard timeout, a per-step circuit breaker and the SQLite cache.
 * Never throws: a failure comes back as a reason the caller records in `degraded`.
 */
export class LookupRunner {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(private readonly cache: EnrichmentCache, private readonly timeoutMs: number) {}

  private breaker(step: string): CircuitBreakerPolicy {
    let b = this.breakers.get(step);
    if (!b) {
      b = circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
      this.breakers.set(step, b);
    }
    return b;
  }

  async run<T>(spec: LookupSpec<T>, signal?: AbortSignal): Promise<LookupOutcome<T>> {
    const started = performance.now();
    const ms = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const hit = spec.cacheKey ? this.cache.get<T>(spec.cacheKey) : undefined;
      if (hit) return { ok: true, value: hit.value, cached: true, ms: ms() };
      // Aggressive: the stage returns at the deadline even if a client ignores the abort signal.
      const value = await this.breaker(spec.step).execute(() =>
        timeout(this.timeoutMs, TimeoutStrategy.Aggressive).execute((_ctx, s) => spec.run(s), signal),
      );
      if (spec.cacheKey) this.cache.put(spec.cacheKey, value, spec.ttlMs);
      return { ok: true, value, cached: false, ms: ms() };
    } catch (err) {
      return { ok: false, reason: describe(err), ms: ms() };
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof TaskCancelledError) return 'timeout';
  if (err instanceof BrokenCircuitError) return 'circuit_open';
  if (err instanceof Error) return `error: ${err.message.replace(/\s+/g, ' ').slice(0, 160)}`;
  return 'error';
}
