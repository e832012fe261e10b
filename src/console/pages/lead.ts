import { decodeAction } from '../../../blocks/codec.ts';
import type { SlackMessage } from '../../../blocks/model.ts';
import type { CanonicalLead } from '../../core/lead.ts';
import type { StoredDecision } from '../../store/decisions.ts';
import type { LeadVersions } from '../../policy/versions.ts';
import { html, trusted, type Html } from '../html.ts';
import { age, postButton, type PageContext } from '../layout.ts';
import type { TrailRow } from '../queries.ts';
import { renderBlocks, renderMrkdwn } from '../render/blockKit.ts';

export interface LeadPageData {
  lead: CanonicalLead & { id: string };
  status: string;
  cards: Array<{ title: string; message: SlackMessage }>;
  decision: StoredDecision | null;
  trail: TrailRow[];
  versions: LeadVersions;
  /** A reply in Slack's words (mrkdwn) after an action, e.g. "Already handled by <@U…>". */
  notice: string | null;
}

/** The card's buttons as console forms: Approve, Take this lead and Accept post at once; Reject and Edit open their form page. */
function cardActions(ctx: PageContext) {
  return (a: { action_id: string; value?: string; text: string; style?: string }): string | null => {
    if (ctx.readOnly) return null;
    const parsed = decodeAction(a.action_id, a.value);
    if (!parsed) return null;
    const style = a.style === 'primary' || a.style === 'danger' ? a.style : null;
    if (parsed.kind === 'approve') return postButton(ctx, `/reviews/${parsed.decisionId}/approve`, a.text, style).text;
    if (parsed.kind === 'reject' || parsed.kind === 'edit') return html`<a class="bk-button${style ? ` bk-${style}` : ''}" href="/reviews/${parsed.decisionId}/${parsed.kind}">${a.text}</a>`.text;
    if (parsed.kind === 'claim' || parsed.kind === 'accept') return postButton(ctx, `/leads/${parsed.leadId}/${parsed.kind}`, a.text, style).text;
    return null; // Reassign and refresh notes are Slack-only for now
  };
}

const row = (label: string, value: unknown) => (value === null || value === undefined || value === '' ? '' : html`<tr><th>${label}</th><td>${value}</td></tr>`);

function submitted(lead: CanonicalLead): Html {
  const utm = Object.entries(lead.utm).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ');
  return html`<table class="kv">
${row('Name', lead.name)}${row('Email', lead.email)}${row('Company', lead.company)}${row('Website', lead.website)}${row('Phone', lead.phone)}
${row('Source', lead.source)}${row('UTM', utm)}${row('Submitted', lead.submitted_at)}${row('Submitter IP', lead.submitter_ip)}
</table>
<h3>Message</h3>
<pre class="message">${lead.message}</pre>
${Object.keys(lead.raw_answers).length ? html`<details><summary>Every answer as the form sent it</summary><pre>${JSON.stringify(lead.raw_answers, null, 2)}</pre></details>` : ''}`;
}

function readings(d: StoredDecision): Html {
  const c = d.classification;
  return html`<table class="kv">
${row('Final action', d.decision.final_action)}${row('Route', d.decision.route)}${row('Priority', d.decision.priority)}
${row('Decision status', d.row.status)}${row('Classifier', c ? `${c.classifier}${c.model ? ` (${c.model})` : ''}` : null)}
${d.decision.readings ? html`${row('Model', d.decision.readings.model)}${row('Rules', d.decision.readings.rules)}` : ''}
${c?.classification ? html`${row('Intent', `${c.classification.intent} (${c.classification.confidence})`)}${row('Summary', c.classification.summary_for_slack)}${row('Fit', `${c.classification.fit_score}/100: ${c.classification.fit_reasoning}`)}` : row('Classification', c?.failure ?? 'none')}
</table>
${d.decision.rules.length ? html`<h3>Rules that fired</h3><ul>${d.decision.rules.map((r) => html`<li><code>${r.rule}</code> ${r.reason}</li>`)}</ul>` : ''}
${d.enrichment ? html`<details><summary>Enrichment</summary><pre>${JSON.stringify(d.enrichment, null, 2)}</pre></details>` : ''}`;
}

function trail(rows: TrailRow[], now: number): Html {
  return html`<table class="trail">
<thead><tr><th>When</th><th>Stage</th><th>Event</th><th>By</th><th>Decision</th><th>Reason</th><th>Latency</th><th>Cost</th></tr></thead>
<tbody>${rows.map((r) => html`<tr>
<td title="${r.at}">${age(r.at, now)} ago</td><td>${r.stage}</td><td><code>${r.event}</code></td><td>${r.actor}</td><td>${r.decision ?? ''}</td>
<td>${r.reason ?? ''}</td><td>${r.latency_ms !== null ? `${Math.round(r.latency_ms)} ms` : ''}</td>
<td>${r.cost_usd ? `$${r.cost_usd.toFixed(5)}` : ''}${r.tokens_in ? html`<br><span class="muted small">${r.tokens_in} in / ${r.tokens_out ?? 0} out</span>` : ''}</td>
</tr>`)}</tbody></table>`;
}

function versionsList(v: LeadVersions): Html {
  const link = (hash: string, label: string) => html`<a href="/versions/${encodeURIComponent(hash)}"><code>${label}</code></a>`;
  return html`<ul>
${v.policies.map((p) => html`<li>policy ${p.stored ? link(p.hash, p.hash) : html`<code>${p.hash}</code> (text not stored: decided before versions were kept)`} · decisions ${p.decisions.join(', ')}</li>`)}
${v.prompts.map((p) => html`<li>prompt ${p.stored.length ? p.stored.map((s) => link(s.hash, p.version)) : html`<code>${p.version}</code> (text not stored)`} · decisions ${p.decisions.join(', ')}</li>`)}
</ul>`;
}

export function leadPage(ctx: PageContext, d: LeadPageData, now: number): Html {
  const actionForm = cardActions(ctx);
  return html`
${d.notice ? html`<div class="notice">${trusted(renderMrkdwn(d.notice, { userName: ctx.nameOf }))}</div>` : ''}
<p class="muted">Lead <code>${d.lead.id}</code> · status <span class="status s-${d.status}">${d.status}</span></p>
<div class="columns">
<section class="cards">
${d.cards.length ? d.cards.map((c) => html`<h2>${c.title}</h2><div class="slack-card">${trusted(renderBlocks(c.message.blocks, { userName: ctx.nameOf, actionForm }))}</div>`) : html`<p class="empty">No card yet: the lead has not been decided.</p>`}
</section>
<section>
<h2>Submitted</h2>
${submitted(d.lead)}
${d.decision ? html`<h2>Readings and decision</h2>${readings(d.decision)}` : ''}
</section>
</div>
<h2>Policy and prompt behind each decision</h2>
${versionsList(d.versions)}
<h2>Audit trail</h2>
${trail(d.trail, now)}`;
}

/** An erased lead: nothing of the person, only that it was erased and its trail's figures (personal fields read "erased"). */
export function erasedLeadPage(id: string, erasedAt: string, rows: TrailRow[], now: number): Html {
  return html`
<p class="muted">Lead <code>${id}</code> · status <span class="status s-erased">erased</span> on ${erasedAt.slice(0, 10)}</p>
<p>Every personal detail of this lead was forgotten. The audit trail keeps its stages, rules, latencies, tokens and costs.</p>
<h2>Audit trail</h2>
${trail(rows, now)}`;
}
