import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Guards the webhook endpoints against one sender flooding them; it is not the policy's per-submitter limit.
 * Default: 10,000 requests per 10 s per remote IP (1,000 a second sustained) — far above any vendor's delivery
 * burst (vendors deliver from a few IPs and hundreds a second must still pass), low enough to cap a runaway
 * client. It runs at the HTTP edge, before the body is read.
 */
export interface FloodOptions {
  points: number;
  durationSec: number;
}
export const DEFAULT_FLOOD: FloodOptions = { points: 10_000, durationSec: 10 };

export type FloodVerdict = { allowed: true } | { allowed: false; retryAfterSec: number };

export function createFloodGuard(opts: FloodOptions = DEFAULT_FLOOD): (remoteIp: string) => Promise<FloodVerdict> {
  const limiter = new RateLimiterMemory({ points: opts.points, duration: opts.durationSec });
  return async (remoteIp) => {
    try {
      await limiter.consume(remoteIp);
      return { allowed: true };
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    }
  };
}
