import type { PoolStatus } from '../../routing/poolStatus.ts';
import type { DayFigures, Figures, Speed } from '../figures.ts';
import { html, trusted, type Html } from '../html.ts';

/**
 * JSON safe inside <script type="application/json">: the parser there stops at the first `</script` whatever
 * JSON thinks of it, so <, > and & go as \u escapes (still the same JSON), and U+2028/2029 too (they end a line
 * in older JavaScript). No HTML escaping: the browser does not decode entities in a script element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const DASH = '—';

/** Tables list the days that had leads (the charts show every day): a quiet month stays short. */
const withLeads = (f: Figures) => f.per_day.filter((d) => d.leads > 0);

/** "12 s", "4.5 min", "2 h 5 min", "3 d 4 h". */
export function fmtMinutes(m: number | null): string {
  if (m === null) return DASH;
  const sign = m < 0 ? '−' : '';
  const a = Math.abs(m);
  if (a < 1) return `${sign}${Math.round(a * 60)} s`;
  if (a < 60) return `${sign}${Math.round(a * 10) / 10} min`;
  const total = Math.round(a);
  if (total < 24 * 60) return `${sign}${Math.floor(total / 60)} h ${total % 60} min`;
  return `${sign}${Math.floor(total / 1440)} d ${Math.floor((total % 1440) / 60)} h`;
}

export const fmtUsd = (v: number | null) => (v === null ? DASH : `$${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2)}`);
const pct = (v: number | null) => (v === null ? DASH : `${Math.round(v * 1000) / 10}%`);
const int = (v: number) => v.toLocaleString('en-US');

function headline(label: string, value: string, note: string | null = null): Html {
  return html`<div class="fig-stat"><span class="fig-label">${label}</span><span class="fig-value">${value}</span>${note ? html`<span class="fig-note">${note}</span>` : ''}</div>`;
}

const speedCells = (s: Speed) => html`<td class="num">${s.n}</td><td class="num">${fmtMinutes(s.median_minutes)}</td><td class="num">${fmtMinutes(s.p90_minutes)}</td>`;

function chart(name: string, title: string): Html {
  return html`<figure class="fig-chart"><figcaption>${title}</figcaption><div class="chart" data-chart="${name}"></div></figure>`;
}

function outcomesTable(f: Figures): Html {
  const row = (d: Pick<DayFigures, 'leads' | 'auto_routed' | 'auto_rejected' | 'review' | 'held' | 'undecided'>) =>
    html`<td class="num">${int(d.leads)}</td><td class="num">${int(d.auto_routed)}</td><td class="num">${int(d.auto_rejected)}</td><td class="num">${int(d.review)}</td><td class="num">${int(d.held)}</td><td class="num">${int(d.undecided)}</td>`;
  return html`<table class="feed fig-table">
<caption>Leads received per UTC day (days with leads), by how their first (automatic) decision came out</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Leads</th><th scope="col">Routed automatically</th><th scope="col">Rejected automatically</th><th scope="col">Held for review</th><th scope="col">Held (paused)</th><th scope="col">Not decided yet</th></tr></thead>
<tbody>${withLeads(f).map((d) => html`<tr><th scope="row">${d.day}</th>${row(d)}</tr>`)}</tbody>
<tfoot><tr><th scope="row">${f.days} days</th>${row(f.totals)}</tr></tfoot>
</table>`;
}

function speedTable(f: Figures): Html {
  return html`<table class="feed fig-table">
<caption>Speed to lead, from receipt, per UTC day of receipt (days with leads; leads still waiting are not counted)</caption>
<thead>
<tr><th scope="col" rowspan="2">Day</th><th scope="colgroup" colspan="3">To first card in Slack</th><th scope="colgroup" colspan="3">To first touch by a person</th></tr>
<tr><th scope="col">Leads</th><th scope="col">Median</th><th scope="col">90th pct</th><th scope="col">Leads</th><th scope="col">Median</th><th scope="col">90th pct</th></tr>
</thead>
<tbody>${withLeads(f).map((d) => html`<tr><th scope="row">${d.day}</th>${speedCells(d.to_card)}${speedCells(d.to_first_touch)}</tr>`)}</tbody>
<tfoot><tr><th scope="row">${f.days} days</th>${speedCells(f.to_card)}${speedCells(f.to_first_touch)}</tr></tfoot>
</table>`;
}

function costTable(f: Figures): Html {
  const cells = (d: { leads: number; cost_usd: number; cost_per_lead_usd: number | null; tokens_in: number; tokens_out: number }) =>
    html`<td class="num">${int(d.leads)}</td><td class="num">${fmtUsd(d.cost_usd)}</td><td class="num">${fmtUsd(d.cost_per_lead_usd)}</td><td class="num">${int(d.tokens_in)}</td><td class="num">${int(d.tokens_out)}</td>`;
  return html`<table class="feed fig-table">
<caption>Model spend (classifier calls, from the audit log) per UTC day with leads, and per lead received that day</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Leads</th><th scope="col">Cost</th><th scope="col">Per lead</th><th scope="col">Tokens in</th><th scope="col">Tokens out</th></tr></thead>
<tbody>${withLeads(f).map((d) => html`<tr><th scope="row">${d.day}</th>${cells(d)}</tr>`)}</tbody>
<tfoot><tr><th scope="row">${f.days} days</th>${cells(f.totals)}</tr></tfoot>
</table>`;
}

const WINDOW_WORDS: Record<PoolStatus['window'], string> = { day: 'last 24 h', week: 'last 7 days', month: 'last 30 days' };

function poolTable(p: PoolStatus): Html {
  const next = p.next ? p.members.find((m) => m.user === p.next)?.name ?? p.next : null;
  return html`<table class="feed fig-table fig-shares">
<caption><strong>${p.pool}</strong>: ${int(p.total)} rotation ${p.total === 1 ? 'lead' : 'leads'} in the ${WINDOW_WORDS[p.window]} · next: ${next ?? 'nobody eligible'}</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Weight</th><th scope="col">Leads</th><th scope="col">Share</th><th scope="col">Target share</th><th scope="col">Difference</th><th scope="col">Now</th></tr></thead>
<tbody>${p.members.map((m) => {
    const diff = p.total > 0 ? m.share - m.targetShare : null;
    const cls = diff === null ? '' : diff > 0.005 ? 'fig-over' : diff < -0.005 ? 'fig-under' : '';
    return html`<tr><th scope="row">${m.name} <span class="muted small">${m.user}</span></th><td class="num">${m.weight}</td><td class="num">${int(m.count)}</td><td class="num">${p.total ? pct(m.share) : DASH}</td><td class="num">${pct(m.targetShare)}</td><td class="${cls ? `num ${cls}` : 'num'}">${diff === null ? DASH : `${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${Math.abs(Math.round(diff * 1000) / 10)} pts`}</td><td>${m.why}</td></tr>`;
  })}</tbody>
</table>`;
}

/** The Figures page body: headline numbers, a table for every figure (works without JavaScript), charts drawn by figures.js. */
export function figuresPage(f: Figures): Html {
  const t = f.totals;
  const decided = t.leads - t.undecided;
  return html`<link rel="stylesheet" href="/console/assets/uPlot.min.css">
<p class="muted">The last ${f.days} UTC days, ${f.from.slice(0, 10)} to ${f.to.slice(0, 10)} (today so far included). Times run from when a lead was received.</p>
<section class="fig-headline" aria-label="Headline figures">
${headline('Leads', int(t.leads))}
${headline('Decided automatically', pct(decided ? (t.auto_routed + t.auto_rejected) / decided : null), `${int(t.auto_routed)} routed, ${int(t.auto_rejected)} rejected`)}
${headline('Held for review', pct(decided ? t.review / decided : null), `${int(t.review)} leads${t.held ? `, ${int(t.held)} more paused` : ''}`)}
${headline('To first card', fmtMinutes(f.to_card.median_minutes), `median · 90th pct ${fmtMinutes(f.to_card.p90_minutes)}`)}
${headline('To first touch', fmtMinutes(f.to_first_touch.median_minutes), `median · 90th pct ${fmtMinutes(f.to_first_touch.p90_minutes)}`)}
${headline('Model cost', fmtUsd(t.cost_usd), `${fmtUsd(t.cost_per_lead_usd)} per lead`)}
</section>

<section class="fig-section">
<h2>Leads and outcomes</h2>
<div class="fig-charts">
${chart('leads', 'Leads per day')}
${chart('outcomes', 'First decision per day')}
</div>
${outcomesTable(f)}
</section>

<section class="fig-section">
<h2>Speed to lead</h2>
<div class="fig-charts">
${chart('speed-card', 'To first card (minutes): median and 90th percentile')}
${chart('speed-touch', 'To first touch (minutes): median and 90th percentile')}
</div>
${speedTable(f)}
</section>

<section class="fig-section">
<h2>Model cost</h2>
<div class="fig-charts">
${chart('cost', 'Cost per day (USD)')}
</div>
${costTable(f)}
</section>

<section class="fig-section">
<h2>Shares against target</h2>
<p class="muted">Each pool's rotation leads (round robin and people's choices, not credited back) over the pool's own fairness window, as <code>/triage who</code> shows them. Target share is the person's weight over the weights of the pool's active members.</p>
${f.shares.length ? f.shares.map(poolTable) : html`<p class="empty">The policy has no pools.</p>`}
</section>
<script type="application/json" id="figures-data">${trusted(scriptJson(f))}</script>`;
}
