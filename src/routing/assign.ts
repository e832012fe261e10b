import type { Enrichment } from '../core/enrichment.ts';
import type { CanonicalLead } from '../core/lead.ts';
import type { Pool } from '../policy/routingSchema.ts';
import type { Policy } from '../policy/schema.ts';
import { checkMember, ordinal, ownerUnavailable, type MemberContext } from './eligibility.ts';
import { LedgerIndex, pickByShortfall } from './fairness.ts';
import { describeRule, matchRoutingRule } from './rules.ts';

export type AssignVia = 'human' | 'account_owner' | 'round_robin' | 'fallback';
/** credited: reassigned away or later rejected as spam → counts for nothing. */
export interface LedgerEntry { lead_id: string; user: string; pool: string | null; at: number; via: AssignVia; credited: boolean }
/** Out of office; until null = until switched off. */
export interface Absence { user: string; from: number; until: number | null }
export interface RoutingState {
  /** Assignments of the last 35 days at least, any order. */
  entries: readonly LedgerEntry[];
  absences: readonly Absence[];
  /** pool → user → first instant this member was seen in the pool. */
  joined: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
export interface AssignFacts {
  queue: 'sales' | 'support' | 'founder';
  intent: string | null;
  human: { user: string; kind: 'edit' | 'reassign' | 'claim' } | null;
  /** CRM owner ids (HubSpot owner id digits, or a Slack user id in the embedded CRM). */
  crmOwners: { contact: string | null; company: string | null; domain: string | null };
  /** Earlier assignees of this lead: never assigned again. */
  exclude: readonly string[];
}
export interface Candidate { user: string; eligible: boolean; why: string; weight: number; assigned: number; target: number }
export interface Assignment {
  /** null only for via 'fallback' with nobody eligible. */
  user: string | null;
  queue: AssignFacts['queue'];
  pool: string | null;
  via: AssignVia;
  /** 1-based index of the routing rule that matched, if any. */
  rule: { index: number; name: string | null } | null;
  /** Counts toward round-robin shares and caps: true for round_robin and human. */
  rotation: boolean;
  /** Plain words with every figure behind the choice; user ids written plainly, never as Slack mentions. */
  reason: string;
  candidates: Candidate[];
  /** Slack user to alert (the pool manager) when via is 'fallback'. */
  alert: string | null;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** What every member check reads: the ledger indexed once, absences by person, who is excluded. */
export function routingContext(policy: Policy, state: RoutingState, now: number, exclude: readonly string[]): { ledger: LedgerIndex; ctx: MemberContext } {
  const absences = new Map<string, Absence[]>();
  for (const a of state.absences) {
    const list = absences.get(a.user);
    if (list) list.push(a);
    else absences.set(a.user, [a]);
  }
  const ledger = new LedgerIndex(state.entries, now);
  return { ledger, ctx: { people: policy.people, now, exclude: new Set(exclude), absences, rotations: ledger.byUser } };
}

/**
 * Who owns the lead, by DESIGN's precedence: a human's choice, the account owner, the routing rule's (or the
 * queue's) pool by weighted round robin, that pool's fallback chain, and finally the queue channel unassigned.
 * Pure: the ledger, absences and `now` come in, nothing is read or written.
 */
export function assign(lead: CanonicalLead, enrichment: Enrichment | null, facts: AssignFacts, policy: Policy, state: RoutingState, now: number): Assignment {
  const match = matchRoutingRule(lead, enrichment, facts.intent, policy);
  const rule = match ? { index: match.index, name: match.rule.name ?? null } : null;
  const poolName = match?.rule.pool ?? policy.routing.queues[facts.queue].pool ?? null;
  const base = { queue: facts.queue, rule, candidates: [] as Candidate[], alert: null };

  if (facts.human) {
    const { user, kind } = facts.human;
    const reason = kind === 'claim' ? `taken by ${user} (claim)` : `owner ${user} chosen by hand (${kind})`;
    return { ...base, user, pool: poolName, via: 'human', rotation: true, reason };
  }

  const { ledger, ctx } = routingContext(policy, state, now, facts.exclude);

  const notes: string[] = [];
  if (policy.routing.account_owner_first) {
    const owners: Array<[string | null, string]> = [
      [facts.crmOwners.contact, 'the contact'],
      [facts.crmOwners.company, facts.crmOwners.domain ?? 'the company'],
    ];
    const noted = new Set<string>();
    for (const [id, of] of owners) {
      const user = id === null ? null : personFor(policy, id);
      if (user === null || noted.has(user)) continue;
      const why = ownerUnavailable(ctx, user);
      if (why === null) return { ...base, user, pool: poolName, via: 'account_owner', rotation: false, reason: [...notes, `account owner of ${of}`].join('; ') };
      notes.push(`account owner ${user} is ${why}`);
      noted.add(user);
    }
  }

  if (match?.rule.pool) notes.push(`${describeRule(match.index, match.rule)} → ${match.rule.pool} pool`);
  if (poolName === null) {
    return { ...base, user: null, pool: null, via: 'fallback', rotation: false, reason: [...notes, `the ${facts.queue} queue has no pool: posted in its channel`].join('; ') };
  }
  return roundRobinChain(poolName, policy, ledger, ctx, state, notes, base);
}

/** The Slack user id of the person a CRM owner id names: their hubspot_owner_id, or the id itself (embedded CRM). */
function personFor(policy: Policy, id: string): string | null {
  if (policy.people[id]) return id;
  for (const [user, person] of Object.entries(policy.people)) if (person.hubspot_owner_id === id) return user;
  return null;
}

function roundRobinChain(
  first: string, policy: Policy, ledger: LedgerIndex, ctx: MemberContext, state: RoutingState, notes: string[],
  base: { queue: AssignFacts['queue']; rule: Assignment['rule'] },
): Assignment {
  const candidates: Candidate[] = [];
  const tried: string[] = [];
  let name = first;
  for (;;) {
    const pool = policy.pools[name];
    if (!pool) {
      notes.push(`pool ${name} is not defined → queue channel, unassigned`);
      break;
    }
    tried.push(name);
    const round = roundRobin(name, pool, ledger, ctx, state);
    candidates.push(...round.candidates);
    if (round.user !== null) {
      return { ...base, user: round.user, pool: name, via: 'round_robin', rotation: true, reason: [...notes, round.reason].join('; '), candidates, alert: null };
    }
    const next = pool.fallback === 'queue' || tried.includes(pool.fallback) ? null : pool.fallback;
    notes.push(`${round.reason} → ${next === null ? 'queue channel, unassigned' : `${next} pool`}`);
    if (next === null) break;
    name = next;
  }
  // The manager of the pool that gave up last; earlier pools' managers when it names none.
  const alert = tried.map((p) => policy.pools[p]?.manager).reverse().find((m) => m !== undefined) ?? null;
  notes.push(alert ? `alert to ${alert}` : 'no manager to alert');
  return { ...base, user: null, pool: first, via: 'fallback', rotation: false, reason: notes.join('; '), candidates, alert };
}

function roundRobin(name: string, pool: Pool, ledger: LedgerIndex, ctx: MemberContext, state: RoutingState) {
  const checks = pool.members.map((m) => ({ ...m, check: checkMember(ctx, m.user, pool) }));
  // Inactive people are out of every pool: they neither receive nor count in the weights calibration divides by.
  const members = checks
    .filter((m) => ctx.people[m.user]?.active === true)
    .map((m) => ({ user: m.user, weight: m.weight, eligible: m.check.eligible }));
  const pick = pickByShortfall(name, pool, members, ledger, state.joined[name] ?? {}, ctx.absences, ctx.now);
  const candidates: Candidate[] = checks.map((m) => {
    const f = pick.figures.get(m.user);
    return { user: m.user, eligible: m.check.eligible, why: m.check.why, weight: m.weight, assigned: round2(f?.assigned ?? 0), target: round2(f?.target ?? 0) };
  });
  const chosen = checks.find((m) => m.user === pick.user);
  if (!chosen) {
    const whys = checks.map((m) => `${ctx.people[m.user]?.name ?? m.user}: ${m.check.why}`).join('; ');
    return { user: null, candidates, reason: `nobody in ${name} is eligible (${whys})` };
  }
  const perDay = pool.caps.per_day;
  const nth = `${ordinal(chosen.check.today + 1)}${perDay !== undefined ? ` of ${perDay}` : ''} today`;
  return { user: chosen.user, candidates, reason: `round robin in ${name} pool: ${nth}, weight ${chosen.weight}` };
}
