import { ConsecutiveBreaker, DelegateBackoff, TimeoutStrategy, circuitBreaker, handleWhen, retry, timeout, wrap, type IPolicy } from 'cockatiel';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { retryAfterMs } from '../../core/upstream.ts';

export interface ResilienceOptions {
  /** Budget for one classification including retries and waits. */
  totalTimeoutMs: number;
  maxRetries: number;
  baseDelayMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  totalTimeoutMs: 15_000,
  maxRetries: 2,
  baseDelayMs: 250,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
};

/** 408, 409, 429, 5xx and 529 (overloaded), and network failures, are worth another try. */
export function isTransient(err: unknown): boolean {
  if (err instanceof APIConnectionError || err instanceof APIConnectionTimeoutError) return true;
  if (err instanceof APIError) {
    const s = err.status;
    return s === undefined || s === 408 || s === 409 || s === 429 || s >= 500;
  }
  return false;
}

function retryAfterOf(err: unknown): number | undefined {
  if (!(err instanceof APIError) || !err.headers) return undefined;
  const ms = err.headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  return retryAfterMs(err.headers.get('retry-after'));
}

/**
 * timeout(total) → breaker → retry. The breaker counts a lead whose retries all failed, so a short
 * blip does not open it; once open, calls fail fast and the caller falls back to the offline classifier.
 */
export function createResilience(o: ResilienceOptions): IPolicy {
  // A server's Retry-After is obeyed exactly (never retried sooner); if it outlasts the total budget the
  // timeout ends the attempt and the caller falls back. Otherwise exponential backoff with full jitter.
  const backoff = new DelegateBackoff<{ attempt: number; result: { error: unknown } | { value: unknown } }>((ctx) => {
    const server = 'error' in ctx.result ? retryAfterOf(ctx.result.error) : undefined;
    if (server !== undefined) return server;
    return Math.round(Math.random() * o.baseDelayMs * 2 ** (ctx.attempt - 1));
  });
  const retryPolicy = retry(handleWhen(isTransient), { maxAttempts: o.maxRetries, backoff });
  const breaker = circuitBreaker(handleWhen(isTransient), { halfOpenAfter: o.halfOpenAfterMs, breaker: new ConsecutiveBreaker(o.breakerThreshold) });
  return wrap(timeout(o.totalTimeoutMs, TimeoutStrategy.Aggressive), breaker, retryPolicy);
}
