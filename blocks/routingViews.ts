import type { MyLead } from '../src/routing/myLeads.ts';
import { section } from './section.ts';
import type { MemberStatus, PoolStatus } from '../src/routing/poolStatus.ts';
import { mention, safeMrkdwn, slackDate } from './escape.ts';

const pct = (r: number) => `${Math.round(r * 100)}%`;
const iso = (ms: number) => new Date(ms).toISOString();
const WINDOW: Record<PoolStatus['window'], string> = { day: 'last 24 h', week: 'last 7 days', month: 'last 30 days' };
/** Room for the header and the rest of a message or Home view under Block Kit's limits. */
const MAX_POOLS = 40;

/** A person by their policy name (escaped: the policy is edited by hand) or, for someone not in it, by mention. */
function person(user: string, name: string): string {
  return name === user ? mention(user) : `*${safeMrkdwn(name, 80)}*`;
}

function status(m: MemberStatus): string {
  if (m.eligible) return ':large_green_circle: eligible';
  const icon = m.why.startsWith('away') ? ':palm_tree:' : m.why.startsWith('off hours') ? ':crescent_moon:' : ':no_entry_sign:';
  return `${icon} ${safeMrkdwn(m.why, 120)}`;
}

function nextText(p: PoolStatus, names: ReadonlyMap<string, string>): string {
  if (p.next !== null) return `next: ${person(p.next, names.get(p.next) ?? p.next)}`;
  const then = p.fallback === 'queue' ? 'posted unassigned in the queue channel' : `tries the ${safeMrkdwn(p.fallback, 40)} pool`;
  return `next: nobody eligible → ${then}${p.manager ? `, ${mention(p.manager)} alerted` : ''}`;
}

/** One section per pool: who is next, each member's share of the window against their target, and why anyone is out. */
export function poolBlocks(pools: readonly PoolStatus[]): unknown[] {
  if (!pools.length) return [section('No pools in the policy: leads go to their queue channel.')];
  const blocks = pools.slice(0, MAX_POOLS).map((p) => {
    const names = new Map(p.members.map((m) => [m.user, m.name]));
    const head = `*${safeMrkdwn(p.pool, 40)}* pool · ${WINDOW[p.window]}: ${p.total} lead${p.total === 1 ? '' : 's'} · ${nextText(p, names)}`;
    const lines = p.members.map((m) =>
      `• ${person(m.user, m.name)} (weight ${m.weight}): ${m.count} of ${p.total} (${p.total ? pct(m.share) : '—'}, target ${pct(m.targetShare)}) · ${status(m)}`);
    return section([head, ...lines].join('\n'));
  });
  return pools.length > MAX_POOLS ? [...blocks, section(`…and ${pools.length - MAX_POOLS} more pools`)] : blocks;
}

export function whoBlocks(pools: readonly PoolStatus[]): unknown[] {
  return [section('*Who is next* (round robin now, by shortfall against weighted share)'), ...poolBlocks(pools)];
}

export function fairnessBlocks(pools: readonly PoolStatus[]): unknown[] {
  return [section('*Fairness ledger*: each pool\'s shares against target'), ...poolBlocks(pools)];
}

function clock(l: MyLead, now: number): string {
  if (l.accepted_at !== null) return `:white_check_mark: accepted ${slackDate(iso(l.accepted_at))}`;
  if (!l.next) return ':hourglass: not accepted · every SLA step has run';
  const step = `${l.next.do} (step ${l.next.step + 1})`;
  return l.next.due_at <= now
    ? `:warning: not accepted · ${step} was due ${slackDate(iso(l.next.due_at))}`
    : `:hourglass: not accepted · ${step} due ${slackDate(iso(l.next.due_at))}`;
}

/** The viewer's current leads, newest first, with the SLA clock each one runs on. */
export function myLeadsBlocks(leads: readonly MyLead[], now: number): unknown[] {
  if (!leads.length) return [section('*My leads*: none')];
  const lines = leads.map((l) =>
    `• ${safeMrkdwn(l.company ?? l.email, 120)} · ${safeMrkdwn(l.email, 200)} · \`${safeMrkdwn(l.lead_id, 64)}\` · assigned ${slackDate(iso(l.assigned_at))} · ${clock(l, now)}`);
  return [section(`*My leads (${leads.length})*\n${lines.join('\n')}`)];
}
