import { safeMrkdwn, slackDate, mention } from './escape.ts';
import { LIMITS } from './limits.ts';
import { clipText } from '../src/core/text.ts';
import type { CardState } from './model.ts';

/** Shared sections of the lead and review cards: who, what, why. */
export function whoSection(s: CardState) {
  const l = s.lead;
  const who = `*${safeMrkdwn(l.name ?? l.email, 200)}* · ${safeMrkdwn(l.email, 320)}`;
  const company = l.company ? `\n${safeMrkdwn(l.company, 300)}` : '';
  const site = l.website ? ` · ${safeMrkdwn(l.website, 300)}` : '';
  return { type: 'section', text: { type: 'mrkdwn', text: `${who}${company}${site}` } };
}

/** A value a person corrected reads as "support (edited; agent: buying)"; untouched values read as they are. */
function corrected(now: string, agent: string | null | undefined, edited: boolean): string {
  return edited && agent !== undefined && agent !== null && agent !== now ? `${now} _(edited; agent: ${agent})_` : now;
}

export function factsSection(s: CardState) {
  const c = s.classification;
  const o = s.decision.human?.kind === 'edit' ? (s.decision.human.override ?? {}) : null;
  const intent = o?.intent ?? c?.intent ?? 'unknown';
  const route = s.decision.route ?? 'none';
  const fields = [
    `*Intent*\n${corrected(intent, c?.intent, o?.intent !== undefined)}`,
    `*Fit score*\n${c ? `${c.fit_score}/100` : '—'}`,
    `*Priority*\n${corrected(s.decision.priority, c?.priority, o?.priority !== undefined)}`,
    `*Route*\n${corrected(route, c?.assigned_to ?? 'none', o?.route !== undefined)}`,
  ];
  return { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) };
}

export function summarySection(s: CardState) {
  const c = s.classification;
  const body = c
    ? `*Summary*\n${safeMrkdwn(c.summary_for_slack, 700)}\n*Fit evidence*\n${safeMrkdwn(c.fit_reasoning, 1600)}`
    : `*No classification*: ${safeMrkdwn(s.classifier_failure ?? 'classifier unavailable', 200)}\n*Message*\n${safeMrkdwn(s.lead.message, 2000)}`;
  return { type: 'section', text: { type: 'mrkdwn', text: clipText(body, LIMITS.sectionText) } };
}

export function rulesContext(s: CardState) {
  const rules = s.decision.rules.slice(0, 8).map((r) => `• ${safeMrkdwn(r.rule, 80)}: ${safeMrkdwn(r.reason, 280)}`);
  const more = s.decision.rules.length > 8 ? `\n…and ${s.decision.rules.length - 8} more` : '';
  const text = rules.length ? `*Rules that fired*\n${rules.join('\n')}${more}` : '*Rules that fired*: none';
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

export function footerContext(s: CardState) {
  const parts = [`Lead \`${safeMrkdwn(s.lead.id, 64)}\``, `source ${safeMrkdwn(s.lead.source, 64)}`, `submitted ${slackDate(s.lead.submitted_at)}`];
  if (s.crm_url && /^https:\/\/[^\s<>|]+$/.test(s.crm_url)) parts.push(`<${s.crm_url}|CRM record>`);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ') }] };
}

export function claimLine(s: CardState): string | null {
  return s.claim ? `:raising_hand: Claimed by ${mention(s.claim.user_id)} at ${slackDate(s.claim.claimed_at)}` : null;
}

/** Who owns the lead and why, in plain words; the reason is our own text but may quote a lead's domain, so it is escaped. */
export function ownerLine(s: CardState): string | null {
  const o = s.owner;
  if (!o) return null;
  const moved = o.moved_from ? `\n:arrows_counterclockwise: Reassigned from ${o.moved_from.user_id ? mention(o.moved_from.user_id) : 'nobody'} to ${o.user_id ? mention(o.user_id) : 'nobody'}: ${safeMrkdwn(o.moved_from.why, 200)}` : '';
  if (!o.user_id) return `:bust_in_silhouette: *Unassigned*: ${safeMrkdwn(o.reason, 400)}${moved}`;
  const accepted = o.accepted_at ? ` · accepted ${slackDate(o.accepted_at)}` : ' · not accepted yet';
  return `:bust_in_silhouette: *Owner* ${mention(o.user_id)}: ${safeMrkdwn(o.reason, 400)}${accepted}${moved}`;
}

export function resolutionLine(s: CardState): string | null {
  const d = s.decision;
  const by = d.decided_by ? mention(d.decided_by) : 'someone';
  const at = d.resolved_at ? ` at ${slackDate(d.resolved_at)}` : '';
  if (d.status === 'approved') return `:white_check_mark: ${d.human?.kind === 'edit' ? 'Edited and approved' : 'Approved'} by ${by}${at}`;
  if (d.status === 'rejected') return `:no_entry: Rejected by ${by}${at}${d.human?.reason ? ` — ${safeMrkdwn(d.human.reason, 500)}` : ''}`;
  if (d.status === 'superseded') return `:arrows_counterclockwise: Superseded by a newer decision${at}`;
  return null;
}
