import { ExponentialBackoff } from 'cockatiel';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1-based) of persisted work, using cockatiel's
 * decorrelated-jitter exponential backoff so retries from many rows do not synchronise.
 * A server's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(attempt: number, opts: BackoffOptions, retryAfterMs?: number): number {
  let backoff = new ExponentialBackoff({ initialDelay: opts.initialDelayMs, maxDelay: opts.maxDelayMs }).next();
  for (let i = 1; i < attempt; i++) backoff = backoff.next(undefined);
  return Math.max(Math.round(backoff.duration), retryAfterMs ?? 0);
}
