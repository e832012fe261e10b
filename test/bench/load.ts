import { Agent, request } from 'node:http';
import { signWebhook } from '../helpers/sign.ts';

export interface LoadResult {
  sent: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  achievedRps: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

let seq = 0;
/** A realistic, unique generic submission, signed as the generic endpoint expects. */
export function signedSubmission(secret: string): { body: string; headers: Record<string, string> } {
  const n = ++seq;
  const body = JSON.stringify({
    event_id: `bench-${process.pid}-${n}-${Date.now()}`,
    email: `buyer${n}@company${n}.example`,
    name: `Bench Buyer ${n}`,
    company: `Company ${n}`,
    website: `https://company${n}.example`,
    message: 'We are evaluating product analytics for a 40-person SaaS team and would like pricing and a demo next week.',
  });
  return { body, headers: signWebhook('generic', secret, body) };
}

/**
 * Open-loop load: requests start on schedule whatever the server's latency, so a slow server
 * shows up as latency instead of being hidden by a client that waits (coordinated omission).
 */
export async function openLoop(url: string, secret: string, rps: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rps * seconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = signedSubmission(secret);
    inflight.push(new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', () => {
        statuses.error = (statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(body);
    }));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent: total, statuses, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, achievedRps: total / elapsed };
}
