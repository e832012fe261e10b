import type { Policy } from '../schema.ts';
import type { Change, ChangedLead, ReplaySummary } from './diff.ts';

/** How many changed leads the printout lists. */
export const PRINTED_CHANGED_LEADS = 50;

// Emails and rule reasons can carry submitted text: one line each, no control characters.
const clean = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0');
const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;

function person(user: string, people: Policy['people']): string {
  const name = people[user]?.name;
  return name ? `${name} (${user})` : user;
}

function changeLines(title: string, list: Change[], label: (s: string) => string = (s) => s): string[] {
  if (!list.length) return [`${title}: no change`];
  return [`${title}:`, ...list.map((c) => `  ${label(c.from)} → ${label(c.to)}: ${c.count}`)];
}

function leadLines(c: ChangedLead, people: Policy['people']): string[] {
  const parts = [`${c.lead_id}  ${clean(c.email)}  ${c.before} → ${c.after}`];
  if (c.route) parts.push(`route ${c.route.from} → ${c.route.to}`);
  if (c.owner) parts.push(`owner ${person(c.owner.from, people)} → ${person(c.owner.to, people)}`);
  const lines = [`  ${parts.join('  ')}`];
  for (const r of c.rules_added) lines.push(`      + ${r.rule}: ${clean(r.reason)}`);
  for (const r of c.rules_removed) lines.push(`      − ${r}`);
  if (c.human) lines.push(`      a person's outcome stands: ${c.human.kind} by ${c.human.by} (now ${c.human.final_action})`);
  for (const n of c.notes) lines.push(`      note: ${n}`);
  return lines;
}

/** The replay's diff as an operator reads it. */
export function formatReplay(s: ReplaySummary, people: Policy['people']): string[] {
  const out: string[] = [];
  const window = s.since ? `since ${s.since} (${s.since_at})` : 'of every stored lead';
  out.push(`replay of ${s.candidate.path} (version ${clean(s.candidate.version)}, hash ${s.candidate.hash}) over ${s.leads} lead${s.leads === 1 ? '' : 's'} ${window}${s.queue ? ` in the ${s.queue} queue` : ''}: ${s.changed} changed`);
  out.push('no side effects: the store was opened read-only; the one write is this summary, kept for /triage policy');
  if (s.before_policies.length) out.push(`decided before by: ${s.before_policies.map((p) => `policy ${p.hash} (${p.leads})`).join(', ')}`);
  if (s.skipped.total) {
    out.push(`skipped ${s.skipped.total} lead${s.skipped.total === 1 ? '' : 's'}:`);
    for (const r of s.skipped.reasons) out.push(`  ${r.count}  ${r.why}${r.example ? `; e.g. ${clean(r.example)}` : ''}`);
  }
  if (s.human_resolved) out.push(`${s.human_resolved} lead${s.human_resolved === 1 ? '' : 's'} a person resolved: the first automatic decision is replayed, the person's outcome is shown and not re-decided`);
  if (s.reclassify) {
    const r = s.reclassify;
    out.push(`re-classified ${r.reclassified} lead${r.reclassified === 1 ? '' : 's'} for ${usd(r.spent_usd)} of the ${usd(r.budget_usd)} budget${r.stopped_by_budget ? `; the budget stopped it: ${r.not_replayed} lead${r.not_replayed === 1 ? '' : 's'} not replayed` : ''}`);
  }
  out.push('');
  out.push('final actions (before → after):');
  const width = Math.max(0, ...s.final_actions.map((a) => a.action.length));
  for (const a of s.final_actions) out.push(`  ${a.action.padEnd(width)}  ${a.before} → ${a.after}  (${signed(a.after - a.before)})`);
  out.push(`review volume: ${s.review.before} → ${s.review.after} (${signed(s.review.after - s.review.before)})`);
  out.push(...changeLines('routes', s.routes));
  out.push(...changeLines('owners', s.owners, (u) => person(u, people)));
  if (s.shares.length) {
    out.push('shares by pool (before → after):');
    for (const p of s.shares) {
      const members = p.members.map((m) => `${m.name ?? m.user} ${m.before_share}% (${m.before}) → ${m.after_share}% (${m.after})`);
      out.push(`  ${p.pool}: ${members.join(', ')}`);
    }
  }
  const rules = (title: string, list: ReplaySummary['rules']['newly_firing']) =>
    list.length ? [`${title}:`, ...list.map((r) => `  ${r.rule}: ${r.count} lead${r.count === 1 ? '' : 's'}`)] : [`${title}: none`];
  out.push(...rules('rules newly firing', s.rules.newly_firing));
  out.push(...rules('rules no longer firing', s.rules.no_longer_firing));
  out.push('');
  if (!s.changed_leads.length) {
    out.push('changed leads: none');
    return out;
  }
  out.push(`changed leads (${s.changed_leads.length}${s.changed_leads.length > PRINTED_CHANGED_LEADS ? `, the first ${PRINTED_CHANGED_LEADS}` : ''}):`);
  for (const c of s.changed_leads.slice(0, PRINTED_CHANGED_LEADS)) out.push(...leadLines(c, people));
  if (s.changed_leads.length > PRINTED_CHANGED_LEADS) out.push(`  … and ${s.changed_leads.length - PRINTED_CHANGED_LEADS} more (--json lists every one)`);
  return out;
}
