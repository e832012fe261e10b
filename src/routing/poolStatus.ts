import type { Pool } from '../policy/routingSchema.ts';
import type { Policy } from '../policy/schema.ts';
import { round2, routingContext, type RoutingState } from './assign.ts';
import { checkMember } from './eligibility.ts';
import { pickByShortfall, WINDOW_MS } from './fairness.ts';

export interface MemberStatus {
  user: string;
  /** The policy's name, or the user id for someone not in `people`. */
  name: string;
  eligible: boolean;
  /** checkMember's reason: "eligible", "off hours (…)", "away until …", "capped …", "inactive". */
  why: string;
  weight: number;
  /** Round robin's figures, as on an assignment's audit row: calibrated assignments and weighted target. */
  assigned: number;
  target: number;
  /** Leads this member actually received in the pool's window. */
  count: number;
  /** count / the pool's total in the window (0 when the pool had none). */
  share: number;
  /** weight / the weights of the pool's active members: the share the member is entitled to over time. */
  targetShare: number;
}

export interface PoolStatus {
  pool: string;
  /** Whom round robin in this pool alone would pick now (null: nobody eligible). */
  next: string | null;
  window: Pool['window'];
  /** Rotation leads (uncredited round robin and human choices) in the window. */
  total: number;
  manager: string | null;
  fallback: string;
  members: MemberStatus[];
}

/**
 * Each pool as assign() sees it at `now`: the same MemberContext, checkMember and pickByShortfall over the
 * pool's active members, without a lead (so no earlier assignees are excluded and no fallback is followed).
 */
export function poolStatus(policy: Policy, state: RoutingState, now: number): PoolStatus[] {
  const { ledger, ctx } = routingContext(policy, state, now, []);

  return Object.entries(policy.pools).map(([name, pool]) => {
    const checks = pool.members.map((m) => ({ ...m, check: checkMember(ctx, m.user, pool), active: policy.people[m.user]?.active === true }));
    const active = checks.filter((m) => m.active);
    const pick = pickByShortfall(name, pool, active.map((m) => ({ user: m.user, weight: m.weight, eligible: m.check.eligible })), ledger, state.joined[name] ?? {}, ctx.absences, now);

    const from = now - WINDOW_MS[pool.window];
    const counts = new Map<string, number>();
    let total = 0;
    for (const e of ledger.inPool(name)) {
      if (e.at <= from) continue;
      total++;
      counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
    }
    const weights = active.reduce((sum, m) => sum + m.weight, 0);
    const members = checks.map((m): MemberStatus => {
      const f = pick.figures.get(m.user);
      const count = counts.get(m.user) ?? 0;
      return {
        user: m.user, name: policy.people[m.user]?.name ?? m.user, eligible: m.check.eligible, why: m.check.why, weight: m.weight,
        assigned: round2(f?.assigned ?? 0), target: round2(f?.target ?? 0), count,
        share: total > 0 ? count / total : 0, targetShare: m.active && weights > 0 ? m.weight / weights : 0,
      };
    });
    return { pool: name, next: pick.user, window: pool.window, total, manager: pool.manager ?? null, fallback: pool.fallback, members };
  });
}
