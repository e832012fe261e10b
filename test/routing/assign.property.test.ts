import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { assign, type Absence, type AssignFacts, type Assignment, type AssignVia, type LedgerEntry, type RoutingState } from '../../src/routing/assign.ts';
import { isOpen, localDayStart, localWeekStart, parseHours } from '../../src/routing/hours.ts';

const raw = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, unknown> & { routing: Record<string, unknown> };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_2026 = Date.UTC(2026, 0, 1);

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'UTC', 'America/Los_Angeles'];
const HOURS = ['Mon-Fri 09:00-17:30', 'Mon-Sun 06:00-22:00', 'Mon-Thu 08:00-16:00, Fri 08:00-12:00', 'Mon-Sun 00:00-24:00', 'Sat-Sun 10:00-14:00'];

interface MemberSpec { zone: number; hours: number; weight: number }
interface PoolSpec { always_open: boolean; per_day?: number | undefined; per_week?: number | undefined; window: 'day' | 'week' | 'month' }

const userId = (i: number) => `U0MEMBER${i}`;

function makePolicy(members: readonly MemberSpec[], pool: PoolSpec): Policy {
  const people = Object.fromEntries(members.map((m, i) => [userId(i), { name: `M${i}`, timezone: ZONES[m.zone], hours: HOURS[m.hours] }]));
  const caps = { ...(pool.per_day ? { per_day: pool.per_day } : {}), ...(pool.per_week ? { per_week: pool.per_week } : {}) };
  const doc = {
    ...raw,
    people,
    pools: { ae: { members: members.map((m, i) => ({ user: userId(i), weight: m.weight })), caps, window: pool.window, always_open: pool.always_open, manager: 'U0MANAGER1' } },
    routing: {
      ...raw.routing,
      rules: [],
      queues: { sales: { channel: 'C0SALES001', pool: 'ae' }, support: { channel: 'C0SUPPORT1' }, founder: { channel: 'C0FOUNDER1' } },
    },
  };
  return parsePolicy(JSON.stringify(doc)).policy;
}

const lead: CanonicalLead = {
  name: null, email: 'buyer@northwind.example', company: null, website: null, phone: null, message: 'Please send pricing for our team.',
  source: 'generic', utm: { source: null, medium: null, campaign: null, term: null, content: null },
  submitted_at: '2026-11-30T09:00:00Z', submitter_ip: null, raw_answers: {},
};
const facts: AssignFacts = { queue: 'sales', intent: 'buying', human: null, crmOwners: { contact: null, company: null, domain: null }, exclude: [] };

/** Leads arrive `gaps[i]` minutes apart; each assignment is written back to the ledger, some later credited back. */
function simulate(policy: Policy, start: number, gaps: readonly number[], absences: Absence[] = [], credit: readonly boolean[] = []) {
  const entries: LedgerEntry[] = [];
  const out: Array<{ at: number; a: Assignment }> = [];
  let at = start;
  gaps.forEach((gap, i) => {
    at += gap * MINUTE;
    const a = assign(lead, null, facts, policy, { entries, absences, joined: {} }, at);
    out.push({ at, a });
    if (a.user) entries.push({ lead_id: `L${i}`, user: a.user, pool: a.pool, at, via: a.via, credited: credit[i] ?? false });
  });
  return { out, entries };
}

const member = fc.record({ zone: fc.nat({ max: ZONES.length - 1 }), hours: fc.nat({ max: HOURS.length - 1 }), weight: fc.integer({ min: 1, max: 4 }) });

describe('assign: properties over long lead sequences', () => {
  it('(a) shares converge to weights among always-eligible members', () => {
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 40, max: 200 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 364 * DAY }),
        (members, n, every, offset) => {
          const policy = makePolicy(members, { always_open: true, window: 'month' });
          const { out } = simulate(policy, YEAR_2026 + offset, Array.from({ length: n }, () => every));
          const total = members.reduce((s, m) => s + m.weight, 0);
          expect(out.every(({ a }) => a.via === 'round_robin' && a.user !== null)).toBe(true);
          members.forEach((m, i) => {
            const got = out.filter(({ a }) => a.user === userId(i)).length;
            // Largest shortfall keeps every member within one lead of their weighted share at every step.
            expect(Math.abs(got - (n * m.weight) / total)).toBeLessThanOrEqual(1);
            expect(Math.abs(got / n - m.weight / total)).toBeLessThan(0.05);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  const scenario = fc.record({
    members: fc.array(member, { minLength: 1, maxLength: 5 }),
    pool: fc.record({
      always_open: fc.boolean(),
      per_day: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      per_week: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      window: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
    }),
    // Half-hour aligned, so leads land on the very minute hours open and close.
    start: fc.integer({ min: 0, max: 364 * 48 }).map((o) => YEAR_2026 + o * 30 * MINUTE),
    gaps: fc.array(fc.integer({ min: 1, max: 480 }), { minLength: 20, maxLength: 120 }),
    credit: fc.array(fc.boolean(), { maxLength: 120 }),
    absences: fc.array(
      fc.record({ who: fc.nat({ max: 4 }), from: fc.integer({ min: -2 * DAY, max: 20 * DAY }), hours: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }) }),
      { maxLength: 4 },
    ),
  });

  const absencesOf = (s: { start: number; absences: Array<{ who: number; from: number; hours: number | null }> }): Absence[] =>
    s.absences.map((a) => ({ user: userId(a.who), from: s.start + a.from, until: a.hours === null ? null : s.start + a.from + a.hours * HOUR }));

  it('(b) caps are never exceeded per local day or week, and (c) absent or off-hours people never get a lead', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const policy = makePolicy(s.members, s.pool);
        const absences = absencesOf(s);
        const { out, entries } = simulate(policy, s.start, s.gaps, absences, s.credit);
        const person = (user: string) => policy.people[user]!;
        const away = (user: string, at: number) => absences.some((a) => a.user === user && a.from <= at && (a.until === null || at < a.until));
        const open = (user: string, at: number) => isOpen({ hours: parseHours(person(user).hours), timezone: person(user).timezone }, at);
        const counting = entries.filter((e) => !e.credited);
        const countSince = (user: string, since: number, at: number) => counting.filter((e) => e.user === user && e.at >= since && e.at < at).length;

        for (const { at, a } of out) {
          if (a.user !== null) {
            expect(away(a.user, at)).toBe(false);
            if (!s.pool.always_open) expect(open(a.user, at)).toBe(true);
            continue;
          }
          // Never a silent drop: the lead went unassigned only when every member was away, off hours or capped.
          expect(a.via).toBe('fallback');
          expect(a.alert).toBe('U0MANAGER1');
          for (const m of policy.pools.ae!.members) {
            const tz = person(m.user).timezone;
            const capped = (s.pool.per_day !== undefined && countSince(m.user, localDayStart(tz, at), at) >= s.pool.per_day)
              || (s.pool.per_week !== undefined && countSince(m.user, localWeekStart(tz, at), at) >= s.pool.per_week);
            expect(away(m.user, at) || (!s.pool.always_open && !open(m.user, at)) || capped).toBe(true);
          }
        }
        for (const m of policy.pools.ae!.members) {
          const tz = person(m.user).timezone;
          const perDay = new Map<number, number>();
          const perWeek = new Map<number, number>();
          for (const e of counting.filter((x) => x.user === m.user)) {
            perDay.set(localDayStart(tz, e.at), (perDay.get(localDayStart(tz, e.at)) ?? 0) + 1);
            perWeek.set(localWeekStart(tz, e.at), (perWeek.get(localWeekStart(tz, e.at)) ?? 0) + 1);
          }
          if (s.pool.per_day !== undefined) expect(Math.max(0, ...perDay.values())).toBeLessThanOrEqual(s.pool.per_day);
          if (s.pool.per_week !== undefined) expect(Math.max(0, ...perWeek.values())).toBeLessThanOrEqual(s.pool.per_week);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('(d) same inputs give the same assignment, whatever order the ledger and absences come in', () => {
    const VIAS: AssignVia[] = ['round_robin', 'human', 'account_owner', 'fallback'];
    const entryArb = (n: number) => fc.record({
      who: fc.nat({ max: n - 1 }), ago: fc.integer({ min: 0, max: 35 * DAY }), pool: fc.constantFrom('ae', 'other', null),
      via: fc.constantFrom(...VIAS), credited: fc.boolean(),
    });
    fc.assert(
      fc.property(
        scenario,
        fc.array(entryArb(5), { maxLength: 80 }),
        fc.array(fc.integer({ min: -40 * DAY, max: DAY }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (s, raws, joinedAt, seed) => {
          const policy = makePolicy(s.members, s.pool);
          const now = s.start + 30 * DAY;
          const entries: LedgerEntry[] = raws
            .filter((r) => r.who < s.members.length)
            .map((r, i) => ({ lead_id: `L${i}`, user: userId(r.who), pool: r.pool, at: now - r.ago, via: r.via, credited: r.credited }));
          const joined = { ae: Object.fromEntries(joinedAt.slice(0, s.members.length).map((t, i) => [userId(i), now + t])) };
          const state: RoutingState = { entries, absences: absencesOf(s).map((a) => ({ ...a, from: a.from + 20 * DAY, until: a.until === null ? null : a.until + 20 * DAY })), joined };
          const first = assign(lead, null, facts, policy, state, now);
          // Other days and zones in between: the memoised local days must not change an answer.
          assign(lead, null, facts, policy, state, now - 3 * DAY - 7 * HOUR);
          const shuffled: RoutingState = { entries: shuffle(entries, seed), absences: shuffle(state.absences, seed + 1), joined };
          const second = assign(lead, null, facts, policy, shuffled, now);
          expect(second).toEqual(first);
          expect(assign(lead, null, facts, policy, state, now)).toEqual(first);
          expect(first.candidates.map((c) => c.user)).toEqual(s.members.map((_, i) => userId(i)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('(d) with a balanced ledger (every shortfall zero) the tie-breaks decide, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 20 * DAY }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (members, k, agos, seed) => {
          const policy = makePolicy(members, { always_open: true, window: 'month' });
          const now = YEAR_2026 + 200 * DAY;
          let next = 0;
          const entries: LedgerEntry[] = members.flatMap((m, i) =>
            Array.from({ length: k * m.weight }, () => ({ lead_id: `L${next}`, user: userId(i), pool: 'ae', at: now - agos[next++ % agos.length]!, via: 'round_robin' as const, credited: false })));
          const state: RoutingState = { entries, absences: [], joined: {} };
          const first = assign(lead, null, facts, policy, state, now);
          expect(first.candidates.every((c) => Math.abs(c.assigned - c.target) < 1e-9)).toBe(true);
          // Expected by hand: highest weight, then least recently assigned, then user id.
          const last = (i: number) => Math.max(...entries.filter((e) => e.user === userId(i)).map((e) => e.at));
          const order = members.map((m, i) => ({ i, w: m.weight, last: last(i) }))
            .sort((a, b) => b.w - a.w || a.last - b.last || a.i - b.i);
          expect(first.user).toBe(userId(order[0]!.i));
          expect(assign(lead, null, facts, policy, { ...state, entries: shuffle(entries, seed) }, now)).toEqual(first);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** Deterministic Fisher–Yates from a seed (a small LCG): the shuffle is part of the generated input. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
