import type { LiarReport } from './harm.ts';
import type { Confusion, EvalReport } from './metrics.ts';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function matrix(title: string, m: Confusion): string[] {
  const labels = [...new Set([...Object.keys(m), ...Object.values(m).flatMap((r) => Object.keys(r))])].sort();
  const width = Math.max(8, ...labels.map((l) => l.length)) + 2;
  const cell = (s: string | number): string => String(s).padStart(width);
  const lines = [`${title} (rows: expected, columns: actual)`, `${''.padEnd(width)}${labels.map(cell).join('')}`];
  for (const row of labels) {
    if (!m[row]) continue;
    lines.push(`${row.padEnd(width)}${labels.map((col) => cell(m[row]?.[col] ?? 0)).join('')}`);
  }
  return lines;
}

function missLines(r: EvalReport): string[] {
  if (r.misses.length === 0) return [];
  return ['', `misses (${r.misses.length}): id  expected intent/action → actual intent/action (confidence)  rules fired`, ...r.misses.map((m) =>
    `${m.id}  ${m.expected.intent}/${m.expected.final_action} → ${m.actual.intent}/${m.actual.final_action} (${m.actual.confidence ?? 'n/a'})  ${m.rules.join(', ') || '-'}`)];
}

const ids = (list: readonly string[]): string => (list.length ? ` (${list.join(', ')})` : '');

/** The liar's figures: how often a maximally confident harmful verdict got through the guardrails. */
export function formatLiarReport(r: LiarReport): string {
  return [
    `liar  leads: ${r.total}   lied about: ${r.lied} (${r.lies} lies)   unsafe: ${r.unsafe.count}${ids(r.unsafe.ids)}   unsafe share ${pct(r.unsafe_share)}`,
    `automatic rejects of known contacts: ${r.known_rejects.count}${ids(r.known_rejects.ids)}`,
  ].join('\n');
}

export function formatReport(r: EvalReport, opts: { misses?: boolean } = {}): string {
  return [
    `leads: ${r.total}   classifiers: ${Object.entries(r.classifiers).map(([k, v]) => `${k}=${v}`).join(' ')}   classifier failures: ${r.failures}`,
    `accuracy  intent ${pct(r.accuracy.intent)}   final action ${pct(r.accuracy.final_action)} (strict ${pct(r.accuracy.final_action_strict)})   route ${r.accuracy.route === null ? 'n/a' : pct(r.accuracy.route)}`,
    `automatic-action rate ${pct(r.automatic_rate)}   review rate ${pct(r.review_rate)}   needs a human (incl. approval-list holds) ${pct(r.needs_human_rate)}`,
    `review the labels call for ${pct(r.ideal_review_rate)}   labelled automatic but reviewed: ${r.excess_review}`,
    `unsafe automatic actions: ${r.unsafe.count}${ids(r.unsafe.ids)}   automatic rejects of known contacts: ${r.known_rejects.count}${ids(r.known_rejects.ids)}${r.refused.count || r.refused.expected ? `   refused by intake: ${r.refused.count} (labels expect ${r.refused.expected})` : ''}`,
    `cost per lead $${r.cost_per_lead_usd.toFixed(6)}   latency p50 ${r.latency_ms.p50.toFixed(1)} ms   p95 ${r.latency_ms.p95.toFixed(1)} ms`,
    '',
    ...matrix('intent', r.confusion.intent),
    '',
    ...matrix('final action', r.confusion.final_action),
    ...(opts.misses ? missLines(r) : []),
  ].join('\n');
}
