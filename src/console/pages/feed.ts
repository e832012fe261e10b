import { html, type Html } from '../html.ts';
import { age, type PageContext } from '../layout.ts';
import type { FeedFilter, FeedRow } from '../queries.ts';

const ACTION_WORDS: Record<string, string> = {
  auto_route_sales: 'routed to sales', auto_route_support: 'routed to support', auto_reject_spam: 'rejected as spam',
  human_review: 'held for review', hold: 'held (paused)',
};

function slaCell(r: FeedRow, now: number): Html {
  if (r.accepted_at !== null) return html`<span class="ok">accepted</span>`;
  if (!r.sla_next) return html``;
  const late = r.sla_next.due_at <= now;
  return html`<span class="${late ? 'late' : 'clock'}">${r.sla_next.do} ${late ? `overdue by ${age(r.sla_next.due_at, now)}` : `in ${age(now, r.sla_next.due_at)}`}</span>`;
}

function select(name: string, label: string, value: string | undefined, options: string[]): Html {
  return html`<label>${label} <select name="${name}"><option value="">any</option>${options.map((o) => html`<option${o === value ? html` selected` : ''}>${o}</option>`)}</select></label>`;
}

/** The lead feed: newest first, filters in a GET form (works without JavaScript), one row per lead. */
export function feedPage(ctx: PageContext, f: FeedFilter, choices: { statuses: string[]; queues: string[]; owners: string[] }, feed: { rows: FeedRow[]; more: boolean }, now: number): Html {
  const next = feed.more ? new URLSearchParams({ ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)), before: feed.rows.at(-1)!.created_at }) : null;
  return html`
<form method="get" action="/" class="filters">
  ${select('status', 'Status', f.status, choices.statuses)}
  ${select('queue', 'Queue', f.queue, choices.queues)}
  ${select('owner', 'Owner', f.owner, choices.owners)}
  <label>From <input type="date" name="from" value="${f.from ?? ''}"></label>
  <label>To <input type="date" name="to" value="${f.to ?? ''}"></label>
  <label>Search <input type="search" name="q" value="${f.q ?? ''}" placeholder="email or company"></label>
  <button type="submit">Filter</button> <a href="/">clear</a>
</form>
${feed.rows.length === 0 ? html`<p class="empty">No leads match. Send some with <code>npx lead-triage ingest data/samples/leads.jsonl</code>.</p>` : html`
<table class="feed">
<thead><tr><th>Received</th><th>Lead</th><th>Status</th><th>Decision</th><th>Owner</th><th>SLA</th></tr></thead>
<tbody>
${feed.rows.map((r) => html`<tr>
  <td title="${r.created_at}">${age(r.created_at, now)} ago</td>
  <td><a href="/leads/${encodeURIComponent(r.id)}">${r.status === 'erased' ? html`<span class="muted">erased</span>` : r.name ?? r.email}</a>${r.company ? html` <span class="muted">${r.company}</span>` : ''}<br><span class="muted small">${r.email}</span></td>
  <td><span class="status s-${r.status}">${r.status}</span></td>
  <td>${r.final_action ? ACTION_WORDS[r.final_action] ?? r.final_action : ''}${r.decision_status === 'pending_review' ? html` <span class="pending">waiting</span>` : ''}${r.route ? html`<br><span class="muted small">queue ${r.route}</span>` : ''}</td>
  <td>${r.owner ? ctx.nameOf(r.owner) ?? r.owner : ''}</td>
  <td>${slaCell(r, now)}</td>
</tr>`)}
</tbody>
</table>
${next ? html`<p><a href="/?${next.toString()}">Older leads →</a></p>` : ''}`}`;
}
