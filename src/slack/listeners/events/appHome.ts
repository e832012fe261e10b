import type { App } from '@slack/bolt';
import { homeView } from '../../../../blocks/summaries.ts';
import { claimedBy, pendingReviews, waitingLeads } from '../../../review/queue.ts';
import { isKillSwitchOn } from '../../../pipeline/kill-switch.ts';
import { todayStats } from '../../../review/stats.ts';
import { loadRoutingState } from '../../../routing/ledger.ts';
import { myLeads } from '../../../routing/myLeads.ts';
import { poolStatus, type PoolStatus } from '../../../routing/poolStatus.ts';
import type { SlackContext } from '../../context.ts';

/** Approvers see every pool's ledger, a pool manager the pools they manage, anyone else none. */
async function visiblePools(ctx: SlackContext, user: string, now: number): Promise<PoolStatus[] | undefined> {
  const { policy } = ctx.loaded;
  const approver = await ctx.approvers.isApprover(user);
  if (!approver && !Object.values(policy.pools).some((p) => p.manager === user)) return undefined;
  const pools = ctx.db.transaction(() => poolStatus(policy, loadRoutingState(ctx.db, policy, now), now))();
  return approver ? pools : pools.filter((p) => p.manager === user);
}

/** App Home: pending reviews, the viewer's leads with their SLA clocks, claimed leads, today's figures, fairness. */
export function register(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const now = ctx.clock();
      const policy = ctx.loaded.policy;
      const view = homeView({
        pending: pendingReviews(ctx.db, 10),
        mine: { leads: myLeads(ctx.db, policy, event.user, 10), now },
        claimed: claimedBy(ctx.db, event.user, 10),
        today: todayStats(ctx.db),
        paused: isKillSwitchOn(ctx.db, policy),
        waiting: isKillSwitchOn(ctx.db, policy) ? waitingLeads(ctx.db, 10) : [],
        userId: event.user,
        fairness: await visiblePools(ctx, event.user, now),
      });
      await client.views.publish({ user_id: event.user, view: view as never });
    } catch (err) {
      ctx.logger.error({ err, user: event.user }, 'app home publish failed');
    }
  });
}
