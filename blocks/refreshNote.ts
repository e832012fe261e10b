import type { RefreshDiff } from '../src/review/refreshDiff.ts';
import { ACTION_IDS, actionValue } from './codec.ts';
import { mention, safeMrkdwn, safePlain, slackDate } from './escape.ts';
import type { SlackMessage } from './model.ts';

export interface RefreshNoteView {
  refreshId: string;
  leadId: string;
  requestedBy: string;
  human: { kind: string; by: string; at: string };
  diff: RefreshDiff;
  proposed: { final_action: string; route: string | null };
  status: 'open' | 'applied' | 'superseded';
  resolvedBy: string | null;
  resolvedAt: string | null;
}

function changeLines(d: RefreshDiff): string {
  const lines = d.changes.map((c) => `• *${safeMrkdwn(c.what, 40)}*: ${safeMrkdwn(c.before, 300)} → ${safeMrkdwn(c.after, 300)}`);
  if (d.rules_added.length) lines.push(`• rules now firing: ${safeMrkdwn(d.rules_added.join(', '), 600)}`);
  if (d.rules_removed.length) lines.push(`• rules no longer firing: ${safeMrkdwn(d.rules_removed.join(', '), 600)}`);
  return lines.length ? lines.join('\n') : 'The fresh reading is the same as the one that was decided.';
}

/** The thread reply after a reprocess of a lead a person decided: what changed, and that the person's outcome stands. */
export function refreshNote(v: RefreshNoteView): SlackMessage {
  const text = `Reprocessed: the decision by a person stands (${v.human.kind}).`;
  const head = `:repeat: *Reprocessed* by ${mention(v.requestedBy)}. The decision stands: *${safeMrkdwn(v.human.kind, 20)}* by ${mention(v.human.by)} ${slackDate(v.human.at)}. Nothing was changed.`;
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', text: { type: 'mrkdwn', text: changeLines(v.diff) } },
  ];
  // Offered even when the reading is unchanged: applying it is how an approver takes back a person's outcome.
  if (v.status === 'open') {
    const route = v.proposed.route ?? 'no route';
    blocks.push({
      type: 'actions', block_id: 'refresh_actions',
      elements: [{
        type: 'button', action_id: ACTION_IDS.apply_refresh, style: 'danger', value: actionValue({ kind: 'apply_refresh', refreshId: v.refreshId }),
        text: { type: 'plain_text', text: 'Apply this reading' },
        confirm: {
          title: { type: 'plain_text', text: 'Replace the decision?' },
          text: { type: 'mrkdwn', text: `This replaces the outcome by ${mention(v.human.by)} with the reprocessed one (${safeMrkdwn(v.proposed.final_action, 40)}, ${safeMrkdwn(route, 20)}); its effects run as the policy allows.` },
          confirm: { type: 'plain_text', text: 'Apply' },
          deny: { type: 'plain_text', text: 'Keep the decision' },
        },
      }],
    });
  }
  const footer = v.status === 'applied'
    ? `:white_check_mark: Applied by ${mention(v.resolvedBy ?? '')}${v.resolvedAt ? ` ${slackDate(v.resolvedAt)}` : ''}.`
    : v.status === 'superseded' ? 'Superseded by a newer reprocess.' : `Only an approver can apply it · lead \`${safeMrkdwn(v.leadId, 64)}\``;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  return { text: safePlain(text, 300), blocks };
}
