import { randomUUID } from 'node:crypto';
import { PAUSED_TEXT, pausedBlocks, queueBlocks, spendBlock, statsBlocks, textReply, trailBlocks, TRIAGE_USAGE } from '../../blocks/summaries.ts';
import { escapeMrkdwn } from '../../blocks/escape.ts';
import { clipText } from '../core/text.ts';
import { pendingReviews, waitingLeads } from '../review/queue.ts';
import { isKillSwitchOn, setKillSwitch } from '../pipeline/kill-switch.ts';
import { triageStats } from '../review/stats.ts';
import { spendTodayUsd } from '../classify/budget.ts';
import type { LeadRecord } from '../store/leads.ts';
import type { SlackContext } from './context.ts';
import { replies } from './replies.ts';
import { humanOutcome } from '../review/humanOutcome.ts';
import type { TriageCommand } from './triageParse.ts';
import { whoBlocks } from '../../blocks/routingViews.ts';
import { dayStartFor, endAbsence, setAbsence, zoneOf } from '../routing/absences.ts';
import { loadRoutingState } from '../routing/ledger.ts';
import { poolStatus } from '../routing/poolStatus.ts';
import { policyStatus } from '../policy/status.ts';
import { policyStatusMessage } from '../../blocks/policyStatus.ts';

export interface TriageReply { text: string; blocks: unknown[] }

function findLead(ctx: SlackContext, ref: string): LeadRecord | null {
  return ref.includes('@') ? ctx.leads.latestByEmail(ref) : ctx.leads.get(ref);
}

/** Runs one parsed /triage command for `userId` and returns the ephemeral reply. */
export async function runTriage(ctx: SlackContext, command: TriageCommand, userId: string): Promise<TriageReply> {
  switch (command.cmd) {
    case 'help':
      return textReply(TRIAGE_USAGE);
    case 'usage': {
      const hint = command.hint ? `${replies.oooUsage(command.hint)}\n` : '';
      return textReply(`Unknown command \`${escapeMrkdwn(clipText(command.input, 100))}\`.\n${hint}${TRIAGE_USAGE}`);
    }
    case 'erase':
      // The command listener opens the confirmation modal itself (it needs the trigger); nothing else erases.
      return textReply('`/triage erase` needs its confirmation modal: type it as a slash command.');
    case 'who': {
      const { policy } = ctx.loaded;
      const now = ctx.clock();
      // loadRoutingState stamps members it has not seen, as the next assign() would: read them in one transaction.
      const pools = ctx.db.transaction(() => poolStatus(policy, loadRoutingState(ctx.db, policy, now), now))();
      return { text: 'Who is next in each pool', blocks: whoBlocks(pools) };
    }
    case 'ooo':
      return outOfOffice(ctx, command, userId);
    case 'policy':
      return policyStatusMessage(policyStatus(ctx.db, ctx.loaded, ctx.clock()));
    case 'queue': {
      const paused = isKillSwitchOn(ctx.db, ctx.loaded.policy) ? pausedBlocks(waitingLeads(ctx.db)) : [];
      return { text: 'Pending reviews', blocks: [...paused, ...queueBlocks(pendingReviews(ctx.db))] };
    }
    case 'stats':
      return { text: 'Lead triage stats', blocks: [...statsBlocks(triageStats(ctx.db)), spendBlock(spendTodayUsd(ctx.db), ctx.loaded.policy.classifier.daily_budget_usd ?? null)] };
    case 'pause':
    case 'resume': {
      if (!(await ctx.approvers.isApprover(userId))) return textReply(replies.notApprover());
      setKillSwitch(ctx.db, ctx.audit, command.cmd === 'pause', userId, randomUUID());
      return textReply(command.cmd === 'pause' ? `:double_vertical_bar: ${PAUSED_TEXT} \`/triage queue\` lists them.` : ':arrow_forward: Resumed: automatic actions are back on, and leads that waited are read in the order they came.');
    }
    case 'status': {
      const lead = findLead(ctx, command.target);
      if (!lead) return textReply(replies.leadNotFound(command.target));
      return { text: `Audit trail for ${lead.id}`, blocks: trailBlocks(lead.id, ctx.audit.trail(lead.id)) };
    }
    case 'reprocess': {
      const lead = findLead(ctx, command.target);
      if (!lead) return textReply(replies.leadNotFound(command.target));
      // A person's outcome is not for anyone to re-run; for an approver the run only refreshes the reading.
      const human = humanOutcome(ctx.db, lead.id);
      if (human && !(await ctx.approvers.isApprover(userId))) {
        ctx.audit.record({ lead_id: lead.id, correlation_id: lead.correlation_id, stage: 'review', event: 'reprocess_refused', actor: userId, reason: `not an approver; ${human.kind} by ${human.by}` });
        return textReply(replies.humanDecided(human));
      }
      const { job_id } = ctx.reprocess(lead.id, userId);
      if (human) return textReply(replies.refreshQueued(lead.id, job_id, human));
      return textReply(`:repeat: Reprocessing lead \`${escapeMrkdwn(lead.id)}\` (job ${job_id}). Its existing card and CRM record will be updated, not duplicated.`);
    }
  }
}

/** `/triage ooo`: anyone for themselves, approvers for anyone. */
async function outOfOffice(ctx: SlackContext, command: Extract<TriageCommand, { cmd: 'ooo' }>, userId: string): Promise<TriageReply> {
  const user = command.user ?? userId;
  const subject = user === userId ? null : user;
  if (subject !== null && !(await ctx.approvers.isApprover(userId))) return textReply(replies.oooNotAllowed());
  const { policy } = ctx.loaded;
  const now = ctx.clock();
  if (command.until === 'off') {
    const ended = endAbsence(ctx.db, ctx.audit, { user, setBy: userId, now });
    return textReply(ended > 0 ? replies.oooEnded(subject) : replies.oooNotAway(subject));
  }
  let until: number | null = null;
  if (command.until !== 'open') {
    until = dayStartFor(policy, user, command.until.date);
    if (until === null) return textReply(replies.oooBadDate(command.until.date));
    if (until <= now) return textReply(replies.oooNotFuture(command.until.date));
  }
  setAbsence(ctx.db, ctx.audit, { user, until, setBy: userId, now });
  const known = policy.people[user] !== undefined;
  return textReply(replies.oooSet(subject, until === null ? null : { at: until, zone: zoneOf(policy, user) }, now, known));
}
