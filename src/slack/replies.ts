import { escapeMrkdwn, mention, slackDate } from '../../blocks/escape.ts';
import { describeError } from '../core/errors.ts';
import type { HumanOutcome } from '../review/humanOutcome.ts';
import { clipText } from '../core/text.ts';

/** The one place outcomes and errors become text a Slack user reads. */
export const replies = {
  notApprover: () => ':lock: Only approvers named in the policy can approve, reject, edit, apply a reprocess, pause or resume. Nothing was changed.',
  notAllowedReassign: () => ':lock: Only the current owner or an approver can reassign this lead. Nothing was changed.',
  alreadyHandled: (status: string, by: string | null, at: string | null) =>
    status === 'superseded'
      ? `:information_source: This review was already superseded by a newer decision${at ? ` at ${slackDate(at)}` : ''}.`
      : `:information_source: Already handled by ${by ? mention(by) : 'someone'}${at ? ` at ${slackDate(at)}` : ''} (${escapeMrkdwn(status)}).`,
  alreadyClaimed: (by: string, at: string, self: boolean) =>
    self ? ':information_source: You already have this lead.' : `:information_source: Already taken by ${mention(by)} at ${slackDate(at)}.`,
  nothingToApprove: () => ':information_source: Nothing to approve as it stands: the agent proposed no route. Use *Edit & approve* to choose one, or *Reject*. Nothing was changed.',
  humanDecided: (h: HumanOutcome) =>
    `:lock: ${mention(h.by)} already ${h.kind} this lead ${slackDate(h.at)}. Only approvers can reprocess it, and even then that outcome stands until an approver applies the new reading. Nothing was changed.`,
  refreshQueued: (leadId: string, jobId: number, h: HumanOutcome) =>
    `:repeat: Reprocessing lead \`${escapeMrkdwn(leadId)}\` (job ${jobId}). The outcome by ${mention(h.by)} (${h.kind}) stands: what changed will appear in the card's thread, where an approver can apply it.`,
  refreshHandled: (status: string, by: string | null, at: string | null) =>
    status === 'superseded'
      ? ':information_source: A newer reprocess replaced this one; use the latest note. Nothing was changed.'
      : `:information_source: Already applied by ${by ? mention(by) : 'someone'}${at ? ` at ${slackDate(at)}` : ''}.`,
  pausedNothingApplied: () => ':double_vertical_bar: Paused: nothing is applied until `/triage resume`. Nothing was changed.',
  leadNotFound: (ref: string) => `No lead found for \`${escapeMrkdwn(clipText(ref, 200))}\`.`,
  error: (err: unknown) => {
    const d = describeError(err);
    return d.code === 'internal' ? ':warning: Something went wrong; it has been logged.' : `:warning: ${escapeMrkdwn(d.message)}`;
  },
};
