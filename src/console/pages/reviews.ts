import type { QueueItem } from '../../../blocks/model.ts';
import { ASSIGNEES, INTENTS, PRIORITIES } from '../../core/classification.ts';
import { html, type Html } from '../html.ts';
import { age, postButton, type PageContext } from '../layout.ts';

/** Pending reviews, oldest first, each with how long it has waited. */
export function reviewsPage(ctx: PageContext, items: QueueItem[], now: number): Html {
  if (!items.length) return html`<p class="empty">Nothing waits for review.</p>`;
  return html`<table class="feed">
<thead><tr><th>Waiting</th><th>Lead</th><th>Agent proposed</th><th></th></tr></thead>
<tbody>${items.map((r) => html`<tr>
<td title="${r.waiting_since}">${age(r.waiting_since, now)}</td>
<td><a href="/leads/${encodeURIComponent(r.lead_id)}">${r.email}</a>${r.company ? html` <span class="muted">${r.company}</span>` : ''}</td>
<td>${r.final_action}</td>
<td class="actions">${ctx.readOnly ? '' : html`${postButton(ctx, `/reviews/${r.decision_id}/approve`, 'Approve', 'primary')}
<a class="bk-button" href="/reviews/${encodeURIComponent(r.decision_id)}/edit">Edit &amp; approve</a>
<a class="bk-button bk-danger" href="/reviews/${encodeURIComponent(r.decision_id)}/reject">Reject</a>`}</td>
</tr>`)}</tbody></table>`;
}

const options = (values: readonly string[], current: string | null | undefined) =>
  values.map((v) => html`<option${v === current ? html` selected` : ''}>${v}</option>`);

/** Slack's Reject and Edit & approve modals as forms: the same fields, the reason required. */
export function reviewFormPage(
  ctx: PageContext,
  kind: 'reject' | 'edit',
  target: { decisionId: string; leadId: string; who: string; intent: string | null; route: string | null; priority: string },
  people: Array<{ id: string; name: string }>,
  error: string | null,
): Html {
  return html`
<p><a href="/leads/${encodeURIComponent(target.leadId)}">← ${target.who}</a></p>
${error ? html`<p class="error">${error}</p>` : ''}
<form method="post" action="/reviews/${encodeURIComponent(target.decisionId)}/${kind}" class="stacked">
<input type="hidden" name="csrf" value="${ctx.csrf}">
${kind === 'edit' ? html`
<label>Intent <select name="intent">${options(INTENTS, target.intent)}</select></label>
<label>Route <select name="route">${options(ASSIGNEES, target.route)}</select></label>
<label>Owner <select name="owner"><option value="">routing decides</option>${people.map((p) => html`<option value="${p.id}">${p.name} (${p.id})</option>`)}</select></label>
<label>Priority <select name="priority">${options(PRIORITIES, target.priority)}</select></label>` : ''}
<label>${kind === 'edit' ? 'What did the agent get wrong?' : 'Why reject this lead?'} <textarea name="reason" required maxlength="3000" rows="4"></textarea></label>
<button type="submit" class="bk-button ${kind === 'reject' ? 'bk-danger' : 'bk-primary'}">${kind === 'reject' ? 'Reject' : 'Approve'}</button>
</form>`;
}
