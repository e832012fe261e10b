import { DateTime } from 'luxon';
import { escapeMrkdwn, mention, slackDate } from '../../blocks/escape.ts';
import { describeError } from '../core/errors.ts';
import type { HumanOutcome } from '../review/humanOutcome.ts';
import type { SettleOutcome } from '../review/act.ts';
import { clipText } from '../core/text.ts';
import type { UsageHint } from './triageParse.ts';

/** "Thu 24 Dec" in the person's zone (with the year when it is not this year's). */
function dayLabel(at: number, zone: string, now: number): string {
  const d = DateTime.fromMillis(at, { zone, locale: 'en-GB' });
  return d.toFormat(d.year === DateTime.fromMillis(now, { zone }).year ? 'ccc d LLL' : 'ccc d LLL yyyy');
}

/** Subject of an out-of-office reply: null is the sender ("you"), else a user id (mentioned only if well-formed). */
const subjectOf = (user: string | null) => (user === null ? { who: 'You are', skip: 'you', will: 'you' } : { who: `${mention(user)} is`, skip: 'them', will: 'they' });

/** The one place outcomes and errors become text a Slack user reads. */
export const replies = {
  notApprover: () => ':lock: Only approvers named in the policy can approve, reject, edit, apply a reprocess, pause, resume or erase. Nothing was changed.',
  noErasure: (why: string) => `:information_source: ${escapeMrkdwn(why)}: nothing was erased.`,
  alreadyErased: (at: string) => `:information_source: That lead was already erased ${slackDate(at)}. Nothing was changed.`,
  erasing: (leads: number) =>
    `:wastebasket: Erasing ${leads} lead${leads === 1 ? '' : 's'}: their details are being forgotten and their Slack messages replaced by an "erased" card. The audit trail keeps only figures and the address's hash.`,
  notAssignee: (owner: string | null) =>
    owner ? `:information_source: This lead is assigned to ${mention(owner)}: only they can accept it. *Take this lead* makes it yours.` : ':information_source: Nobody is assigned this lead: use *Take this lead*.',
  notAllowedReassign: () => ':lock: Only the current owner or an approver can reassign this lead. Nothing was changed.',
  alreadyHandled: (status: string, by: string | null, at: string | null, viewer?: string) =>
    status === 'superseded'
      ? `:information_source: This review was already superseded by a newer decision${at ? ` at ${slackDate(at)}` : ''}.`
      : by !== null && by === viewer
        ? `:information_source: You already ${escapeMrkdwn(status)} this lead${at ? ` at ${slackDate(at)}` : ''}; your first click counted.`
        : `:information_source: Already handled by ${by ? mention(by) : 'someone'}${at ? ` at ${slackDate(at)}` : ''} (${escapeMrkdwn(status)}).`,
  claimed: () => ':raising_hand: This lead is yours, and its SLA clock has stopped. The CRM follows; you will hear here if its contact already belongs to someone else.',
  alreadyClaimed: (by: string, at: string, self: boolean) =>
    self ? ':information_source: You already have this lead.' : `:information_source: Already taken by ${mention(by)} at ${slackDate(at)}.`,
  invalidEdit: () => ':warning: That edit had an invalid value; nothing was changed.',
  /** What a person is told after Approve, Reject or Edit & approve, in Slack and the console alike; null when it simply happened. */
  settled: (out: SettleOutcome, viewer: string): string | null => {
    switch (out.outcome) {
      case 'resolved': return null;
      case 'already_handled': return replies.alreadyHandled(out.status, out.by, out.at, viewer);
      case 'nothing_to_approve': return replies.nothingToApprove();
      case 'not_approver': return replies.notApprover();
      case 'invalid_edit': return replies.invalidEdit();
      case 'reason_required': return 'Please give a reason.';
    }
  },
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
  oooSet: (user: string | null, until: { at: number; zone: string } | null, now: number, known: boolean) => {
    const s = subjectOf(user);
    const end = until ? `until ${dayLabel(until.at, until.zone, now)}` : 'until switched off with `/triage ooo off`';
    const note = known ? '' : ' (not in the policy\'s people yet, so routing has nothing to skip)';
    return `:palm_tree: ${s.who} out of office ${end}; new leads skip ${s.skip} and ${s.will} will not be flooded on return.${note}`;
  },
  oooEnded: (user: string | null) =>
    `:wave: ${user === null ? 'Welcome back: you are' : `${mention(user)} is`} in the rotation again, holding ${user === null ? 'your' : 'their'} place (no catch-up flood).`,
  oooNotAway: (user: string | null) => `:information_source: ${user === null ? 'You were' : `${mention(user)} was`} not out of office. Nothing was changed.`,
  oooNotAllowed: () => ':lock: Only approvers can set or end someone else\'s out of office. Nothing was changed.',
  oooBadDate: (date: string) => `:warning: \`${escapeMrkdwn(clipText(date, 40))}\` is not a date: use YYYY-MM-DD. Nothing was changed.`,
  oooNotFuture: (date: string) => `:warning: \`${escapeMrkdwn(clipText(date, 40))}\` has already begun: an absence ends at the start of that day, so give a later one. Nothing was changed.`,
  oooUsage: (hint: UsageHint) =>
    hint === 'ooo_user'
      ? 'Slack sent a name, not a person: pick them from the @ list so Slack sends their id, or give the id (U…).'
      : hint === 'ooo_date' ? 'Give the date as YYYY-MM-DD, e.g. `/triage ooo until 2026-12-24`.' : 'Use `/triage ooo`, `/triage ooo until YYYY-MM-DD` or `/triage ooo off`.',
  leadNotFound: (ref: string) => `No lead found for \`${escapeMrkdwn(clipText(ref, 200))}\`.`,
  error: (err: unknown) => {
    const d = describeError(err);
    return d.code === 'internal' ? ':warning: Something went wrong; it has been logged.' : `:warning: ${escapeMrkdwn(d.message)}`;
  },
};
