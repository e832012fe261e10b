import { FINAL_ACTIONS, type RuleHit } from '../../core/decision.ts';
import type { LoadedPolicy } from '../load.ts';
import type { Policy } from '../schema.ts';
import type { LeadOutcome, Side } from './redecide.ts';
import { SKIP_WHY, type Skipped, type SkipReason } from './source.ts';

export interface Change { from: string; to: string; count: number }
export interface RuleCount { rule: string; count: number }
export interface MemberShare { user: string; name: string | null; before: number; before_share: number; after: number; after_share: number }

export interface ChangedLead {
  lead_id: string;
  email: string;
  before: string;
  after: string;
  route: { from: string; to: string } | null;
  owner: { from: string; to: string } | null;
  /** The rules that made the difference: firing now with their reasons, and those that no longer fire. */
  rules_added: RuleHit[];
  rules_removed: string[];
  /** A person's standing outcome on the lead: shown, never re-decided. */
  human: { kind: string; by: string; final_action: string } | null;
  notes: string[];
}

export interface ReplaySummary {
  at: string;
  candidate: { path: string; hash: string; version: string };
  since: string | null;
  since_at: string | null;
  queue: string | null;
  /** Leads re-decided. */
  leads: number;
  changed: number;
  /** The policies that made the before decisions. */
  before_policies: Array<{ hash: string; leads: number }>;
  skipped: { total: number; reasons: Array<{ reason: SkipReason; why: string; count: number; example: string | null }> };
  human_resolved: number;
  final_actions: Array<{ action: string; before: number; after: number }>;
  review: { before: number; after: number };
  routes: Change[];
  owners: Change[];
  shares: Array<{ pool: string; members: MemberShare[] }>;
  rules: { newly_firing: RuleCount[]; no_longer_firing: RuleCount[] };
  reclassify: { budget_usd: number; spent_usd: number; reclassified: number; stopped_by_budget: boolean; not_replayed: number } | null;
  /** Every changed lead, oldest first (the printout and the stored row keep the first 50). */
  changed_leads: ChangedLead[];
}

export interface SummaryInput {
  candidate: LoadedPolicy;
  since: { text: string; iso: string } | null;
  queue: string | null;
  at: string;
  outcomes: LeadOutcome[];
  changed: LeadOutcome[];
  skipped: Skipped[];
  reclassify: ReplaySummary['reclassify'];
  people: Policy['people'];
}

const route = (r: string | null) => r ?? 'none';
/** The owner a side names: a person, "unassigned" (routed to nobody), or "not routed" (held, in review, rejected). */
const ownerOf = (s: Side) => (s.routed ? (s.owner ?? 'unassigned') : 'not routed');

function count<K>(keys: Iterable<K>): Map<K, number> {
  const m = new Map<K, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

const byCount = <T extends { count: number }>(key: (t: T) => string) => (a: T, b: T) => b.count - a.count || key(a).localeCompare(key(b));

function changes(pairs: Array<[string, string]>): Change[] {
  const m = count(pairs.filter(([a, b]) => a !== b).map(([a, b]) => `${a}\u0000${b}`));
  return [...m].map(([k, n]) => {
    const [from, to] = k.split('\u0000') as [string, string];
    return { from, to, count: n };
  }).sort(byCount((c) => `${c.from} ${c.to}`));
}

function ruleDiff(o: LeadOutcome): { added: RuleHit[]; removed: string[] } {
  const before = new Set(o.before.rules.map((r) => r.rule));
  const after = new Set(o.after.rules.map((r) => r.rule));
  const added = o.after.rules.filter((r, i, all) => !before.has(r.rule) && all.findIndex((x) => x.rule === r.rule) === i);
  return { added, removed: [...before].filter((r) => !after.has(r)) };
}

function shares(outcomes: LeadOutcome[], people: Policy['people']): ReplaySummary['shares'] {
  const pools = new Map<string, { before: Map<string, number>; after: Map<string, number> }>();
  const add = (side: 'before' | 'after', s: Side) => {
    if (!s.routed || !s.owner || !s.pool) return;
    const p = pools.get(s.pool) ?? { before: new Map(), after: new Map() };
    pools.set(s.pool, p);
    p[side].set(s.owner, (p[side].get(s.owner) ?? 0) + 1);
  };
  for (const o of outcomes) {
    if (o.owner_known) add('before', o.before);
    add('after', o.after);
  }
  const pct = (n: number, total: number) => (total ? Math.round((n / total) * 1000) / 10 : 0);
  return [...pools].sort(([a], [b]) => a.localeCompare(b)).map(([pool, p]) => {
    const totalBefore = [...p.before.values()].reduce((a, b) => a + b, 0);
    const totalAfter = [...p.after.values()].reduce((a, b) => a + b, 0);
    const users = [...new Set([...p.before.keys(), ...p.after.keys()])].sort();
    return {
      pool,
      members: users.map((user) => {
        const before = p.before.get(user) ?? 0;
        const after = p.after.get(user) ?? 0;
        return { user, name: people[user]?.name ?? null, before, before_share: pct(before, totalBefore), after, after_share: pct(after, totalAfter) };
      }),
    };
  });
}

export function changedLead(o: LeadOutcome): ChangedLead {
  const { added, removed } = ruleDiff(o);
  const b = o.before;
  const a = o.after;
  return {
    lead_id: o.lead_id,
    email: o.email,
    before: b.final_action,
    after: a.final_action,
    route: b.route !== a.route ? { from: route(b.route), to: route(a.route) } : null,
    owner: o.owner_known && ownerOf(b) !== ownerOf(a) ? { from: ownerOf(b), to: ownerOf(a) } : null,
    rules_added: added,
    rules_removed: removed,
    human: o.human ? { kind: o.human.kind, by: o.human.by, final_action: o.human.final_action } : null,
    notes: o.notes,
  };
}

/** The diff: counts before → after, what moved where, which rules fire differently, and the changed leads. */
export function summarize(i: SummaryInput): ReplaySummary {
  const { outcomes } = i;
  const skipCounts = new Map<SkipReason, { count: number; example: string | null }>();
  for (const s of i.skipped) {
    const c = skipCounts.get(s.reason) ?? { count: 0, example: s.detail };
    c.count++;
    skipCounts.set(s.reason, c);
  }
  const before = count(outcomes.map((o) => o.before.final_action as string));
  const after = count(outcomes.map((o) => o.after.final_action as string));
  const diffs = outcomes.map(ruleDiff);
  const ruleCounts = (names: string[]) => [...count(names)].map(([rule, n]) => ({ rule, count: n })).sort(byCount((r) => r.rule));
  return {
    at: i.at,
    candidate: { path: i.candidate.path, hash: i.candidate.hash, version: i.candidate.policy.version },
    since: i.since?.text ?? null,
    since_at: i.since?.iso ?? null,
    queue: i.queue,
    leads: outcomes.length,
    changed: i.changed.length,
    before_policies: [...count(outcomes.map((o) => o.before.policy_hash))].map(([hash, n]) => ({ hash, leads: n })).sort((a, b) => b.leads - a.leads),
    skipped: {
      total: i.skipped.length,
      reasons: [...skipCounts].map(([reason, c]) => ({ reason, why: SKIP_WHY[reason], count: c.count, example: c.example })),
    },
    human_resolved: outcomes.filter((o) => o.human).length,
    final_actions: FINAL_ACTIONS.filter((a) => before.has(a) || after.has(a)).map((a) => ({ action: a, before: before.get(a) ?? 0, after: after.get(a) ?? 0 })),
    review: { before: outcomes.filter((o) => o.before.needs_review).length, after: outcomes.filter((o) => o.after.needs_review).length },
    routes: changes(outcomes.map((o) => [route(o.before.route), route(o.after.route)])),
    owners: changes(outcomes.filter((o) => o.owner_known).map((o) => [ownerOf(o.before), ownerOf(o.after)])),
    shares: shares(outcomes, i.people),
    rules: { newly_firing: ruleCounts(diffs.flatMap((d) => d.added.map((r) => r.rule))), no_longer_firing: ruleCounts(diffs.flatMap((d) => d.removed)) },
    reclassify: i.reclassify,
    changed_leads: i.changed.map(changedLead),
  };
}
