import type { z } from 'zod';
import { durationMs } from './fields.ts';
import type { Person, Pool, RoutingRule, SlaStep } from './routingSchema.ts';

interface RoutingPart {
  people: Record<string, Person>;
  pools: Record<string, Pool>;
  routing: { rules: RoutingRule[]; queues: Record<string, { pool?: string | undefined; sla?: SlaStep[] | undefined }> };
}

/** Cross-references zod cannot see field by field: every name used must exist, ladders must climb. One issue per problem, with its path. */
export function checkRoutingReferences(p: RoutingPart, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const pools = new Set(Object.keys(p.pools));

  for (const [name, pool] of Object.entries(p.pools)) {
    const seen = new Set<string>();
    pool.members.forEach((m, i) => {
      if (!p.people[m.user]) issue(['pools', name, 'members', i, 'user'], `${m.user} is not in people`);
      if (seen.has(m.user)) issue(['pools', name, 'members', i, 'user'], `${m.user} is listed twice`);
      seen.add(m.user);
    });
    if (pool.fallback !== 'queue' && !pools.has(pool.fallback)) issue(['pools', name, 'fallback'], `"${pool.fallback}" is neither "queue" nor a pool`);
    if (fallbackLoops(p.pools, name)) issue(['pools', name, 'fallback'], 'the fallback chain comes back to this pool: end it with "queue"');
  }

  p.routing.rules.forEach((rule, i) => {
    if (rule.pool !== undefined && !pools.has(rule.pool)) issue(['routing', 'rules', i, 'pool'], `unknown pool "${rule.pool}"`);
    const { employees_min: lo, employees_max: hi } = rule.when;
    if (lo !== undefined && hi !== undefined && lo > hi) issue(['routing', 'rules', i, 'when'], 'employees_min must not exceed employees_max');
  });

  for (const [queue, q] of Object.entries(p.routing.queues)) {
    if (q.pool !== undefined && !pools.has(q.pool)) issue(['routing', 'queues', queue, 'pool'], `unknown pool "${q.pool}"`);
    (q.sla ?? []).forEach((step, i, steps) => {
      const before = steps[i - 1];
      if (before && durationMs(step.after) <= durationMs(before.after)) issue(['routing', 'queues', queue, 'sla', i, 'after'], 'ladder steps must come in increasing time');
      if (step.do === 'reassign' && q.pool === undefined) issue(['routing', 'queues', queue, 'sla', i, 'do'], 'reassign needs the queue to have a pool');
    });
  }
}

function fallbackLoops(pools: Record<string, Pool>, start: string): boolean {
  const seen = new Set<string>([start]);
  for (let next = pools[start]?.fallback; next && next !== 'queue'; next = pools[next]?.fallback) {
    if (seen.has(next)) return next === start;
    seen.add(next);
  }
  return false;
}
