import { createRequire } from 'node:module';

/**
 * Guards the webhook endpoints against one sender flooding them; it is not the policy's per-submitter limit.
 * Default: 10,000 requests per 10 s per remote IP (1,000 a second sustained) — far above any vendor's delivery burst (vendors deliver from
 * a few IPs and hundreds a second must still pass), low enough to cap a runaway client.
 *
 * rate-limiter-flexible's RateLimiterMemory wraps this same synchronous counter in a Promise; intake stays
 * synchronous (the row is committed before the 202 with no await in between), so it uses the counter directly.
 */
interface CounterRes { consumedPoints: number; msBeforeNext: number }
interface MemoryStorage { incrby(key: string, value: number, durationSec: number): CounterRes }
const require = createRequire(import.meta.url);
const MemoryStorageCtor = require('rate-limiter-flexible/lib/component/MemoryStorage/MemoryStorage.js') as new () => MemoryStorage;

export interface FloodOptions {
  points: number;
  durationSec: number;
}
export const DEFAULT_FLOOD: FloodOptions = { points: 10_000, durationSec: 10 };

export type FloodVerdict = { allowed: true } | { allowed: false; retryAfterSec: number };

export function createFloodGuard(opts: FloodOptions = DEFAULT_FLOOD): (remoteIp: string) => FloodVerdict {
  const storage = new MemoryStorageCtor();
  return (remoteIp) => {
    const res = storage.incrby(`ip:${remoteIp}`, 1, opts.durationSec);
    if (res.consumedPoints <= opts.points) return { allowed: true };
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  };
}
