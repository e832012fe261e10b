import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { Enrichment } from '../../src/core/enrichment.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { assign, type AssignFacts, type Assignment, type LedgerEntry, type RoutingState } from '../../src/routing/assign.ts';

const raw = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, unknown> & { routing: Record<string, unknown> };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Mon 2026-11-30 (winter: Berlin UTC+1, New York UTC-5).
const MON_10_BERLIN = Date.UTC(2026, 10, 30, 9); // 04:00 in New York
const MON_19_BERLIN = Date.UTC(2026, 10, 30, 18); // 13:00 in New York
const SAT_10_BERLIN = Date.UTC(2026, 11, 5, 9);

const ANA = 'U0ANA00001', BOB = 'U0BOB00001', CAT = 'U0CAT00001', DAN = 'U0DAN00001', EVE = 'U0EVE00001';
const berlin = { timezone: 'Europe/Berlin', hours: 'Mon-Fri 09:00-17:30' };

function makePolicy(over: { people?: object; pools?: object; rules?: unknown[]; account_owner_first?: boolean; salesPool?: string } = {}): Policy {
  const doc = {
    ...raw,
    people: over.people ?? {
      [ANA]: { name: 'Ana', hubspot_owner_id: '41629779', ...berlin },
      [BOB]: { name: 'Bob', ...berlin },
      [CAT]: { name: 'Cat', timezone: 'America/New_York', hours: 'Mon-Fri 09:00-17:00' },
      [DAN]: { name: 'Dan', ...berlin },
      [EVE]: { name: 'Eve', ...berlin, active: false },
    },
    pools: over.pools ?? {
      ae: {
        members: [{ user: ANA, weight: 2 }, { user: BOB }, { user: CAT }, { user: EVE }],
        caps: { per_day: 8, per_week: 30 }, window: 'week', manager: 'U0MANAGER1', fallback: 'queue',
      },
      dach: { members: [{ user: DAN }], manager: 'U0DACHMGR1', fallback: 'ae' },
    },
    routing: {
      ...raw.routing,
      account_owner_first: over.account_owner_first ?? true,
      rules: over.rules ?? [
        { name: 'DACH enterprise', when: { country: ['DE', 'AT', 'CH'], employees_min: 200 }, queue: 'sales', pool: 'dach' },
        { name: 'help', when: { intent: ['support'] }, queue: 'support' },
      ],
      queues: {
        sales: { channel: 'C0SALES001', pool: over.salesPool ?? 'ae' },
        support: { channel: 'C0SUPPORT1' },
        founder: { channel: 'C0FOUNDER1' },
      },
    },
  };
  return parsePolicy(JSON.stringify(doc)).policy;
}

const lead: CanonicalLead = {
  name: 'Jonas Weber', email: 'jonas@northwind.example', company: 'Northwind', website: null, phone: null,
  message: 'We would like a demo for our analytics team.', source: 'typeform',
  utm: { source: null, medium: null, campaign: null, term: null, content: null },
  submitted_at: '2026-11-30T09:00:00Z', submitter_ip: null, raw_answers: {},
};

function enrichment(country: string, employees: number): Enrichment {
  return {
    domain: { email_domain: 'northwind.example', registrable_domain: 'northwind.example', public_suffix: 'example', is_free_mail: false, is_disposable: false, is_role_address: false, suggested_domain: null },
    crm_history: null,
    company: { name: 'Northwind', domain: 'northwind.example', industry: 'software', employee_count: employees, country, description: null, source: 'pdl' },
    degraded: [],
  };
}

const facts = (over: Partial<AssignFacts> = {}): AssignFacts => ({
  queue: 'sales', intent: 'buying', human: null, crmOwners: { contact: null, company: null, domain: null }, exclude: [], ...over,
});
const empty = (): RoutingState => ({ entries: [], absences: [], joined: {} });
const entry = (user: string, at: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({ lead_id: `L${at}-${user}`, user, pool: 'ae', at, via: 'round_robin', credited: false, ...over });

/** Assigns `n` leads `step` ms apart from `start`, writing each assignment back to the ledger as the store would. */
function run(policy: Policy, state: RoutingState, start: number, step: number, n: number, f = facts()): Assignment[] {
  const entries = [...state.entries];
  const out: Assignment[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + i * step;
    const a = assign(lead, null, f, policy, { ...state, entries }, at);
    out.push(a);
    if (a.user) entries.push({ lead_id: `L${at}`, user: a.user, pool: a.pool, at, via: a.via, credited: false });
  }
  return out;
}
const users = (as: Assignment[]) => as.map((a) => a.user);
const tally = (as: Assignment[]) => as.reduce<Record<string, number>>((t, a) => ({ ...t, [a.user ?? 'none']: (t[a.user ?? 'none'] ?? 0) + 1 }), {});

describe('precedence', () => {
  it('1. a human choice stands, counts for the rotation, and names the pool that would apply', () => {
    const a = assign(lead, enrichment('DE', 500), facts({ human: { user: BOB, kind: 'reassign' } }), makePolicy(), empty(), SAT_10_BERLIN);
    expect(a).toMatchObject({ user: BOB, via: 'human', rotation: true, pool: 'dach', queue: 'sales', rule: { index: 1, name: 'DACH enterprise' }, alert: null });
    expect(a.reason).toBe(`owner ${BOB} chosen by hand (reassign)`);
    const claim = assign(lead, null, facts({ human: { user: CAT, kind: 'claim' } }), makePolicy(), empty(), MON_10_BERLIN);
    expect(claim).toMatchObject({ user: CAT, via: 'human', pool: 'ae', rule: null, reason: `taken by ${CAT} (claim)` });
  });

  it('2. the account owner (contact first, by HubSpot owner id) takes the lead without advancing the rotation', () => {
    const crmOwners = { contact: '41629779', company: BOB, domain: 'northwind.example' };
    const a = assign(lead, null, facts({ crmOwners }), makePolicy(), empty(), SAT_10_BERLIN);
    expect(a).toMatchObject({ user: ANA, via: 'account_owner', rotation: false, pool: 'ae', reason: 'account owner of the contact', alert: null });
    // The company's owner, named by Slack user id as the embedded CRM does.
    const b = assign(lead, null, facts({ crmOwners: { ...crmOwners, contact: null } }), makePolicy(), empty(), MON_10_BERLIN);
    expect(b).toMatchObject({ user: BOB, via: 'account_owner', reason: 'account owner of northwind.example' });
    // An owner id nobody in people has is passed over in silence.
    const c = assign(lead, null, facts({ crmOwners: { contact: '999', company: null, domain: null } }), makePolicy(), empty(), MON_10_BERLIN);
    expect(c.via).toBe('round_robin');
    expect(c.reason).toBe('round robin in ae pool: 1st of 8 today, weight 2');
  });

  it('2. an away, excluded or inactive account owner falls through, and the reason says so', () => {
    const state = { ...empty(), absences: [{ user: ANA, from: MON_10_BERLIN - DAY, until: Date.UTC(2026, 11, 1, 23) }] };
    const crmOwners = { contact: '41629779', company: BOB, domain: 'northwind.example' };
    const a = assign(lead, null, facts({ crmOwners }), makePolicy(), state, MON_10_BERLIN);
    expect(a).toMatchObject({ user: BOB, via: 'account_owner', reason: `account owner ${ANA} is away until 2026-12-02; account owner of northwind.example` });
    const b = assign(lead, null, facts({ crmOwners, exclude: [BOB] }), makePolicy(), state, MON_19_BERLIN);
    expect(b).toMatchObject({ user: CAT, via: 'round_robin' });
    expect(b.reason).toBe(`account owner ${ANA} is away until 2026-12-02; account owner ${BOB} is an earlier assignee; round robin in ae pool: 1st of 8 today, weight 1`);
    const c = assign(lead, null, facts({ crmOwners: { contact: EVE, company: null, domain: null } }), makePolicy(), empty(), MON_10_BERLIN);
    expect(c.reason).toBe(`account owner ${EVE} is inactive; round robin in ae pool: 1st of 8 today, weight 2`);
    expect(c.user).toBe(ANA);
  });

  it('2. account_owner_first false skips the CRM owner', () => {
    const a = assign(lead, null, facts({ crmOwners: { contact: BOB, company: null, domain: null } }), makePolicy({ account_owner_first: false }), empty(), MON_10_BERLIN);
    expect(a).toMatchObject({ user: ANA, via: 'round_robin' });
  });

  it('3. a matching rule picks the pool and the reason starts with it', () => {
    const a = assign(lead, enrichment('AT', 250), facts(), makePolicy(), empty(), MON_10_BERLIN);
    expect(a).toMatchObject({ user: DAN, pool: 'dach', via: 'round_robin', rotation: true, rule: { index: 1, name: 'DACH enterprise' } });
    expect(a.reason).toBe('rule 1: DACH enterprise → dach pool; round robin in dach pool: 1st today, weight 1');
    // Too small for the rule: the queue's pool.
    expect(assign(lead, enrichment('AT', 50), facts(), makePolicy(), empty(), MON_10_BERLIN)).toMatchObject({ pool: 'ae', rule: null, user: ANA });
  });

  it('4. no pool (a rule without one, in a queue without one) posts in the queue channel without an alert', () => {
    const a = assign(lead, null, facts({ queue: 'support', intent: 'support' }), makePolicy(), empty(), MON_10_BERLIN);
    expect(a).toEqual({
      user: null, queue: 'support', pool: null, via: 'fallback', rule: { index: 2, name: 'help' }, rotation: false,
      reason: 'the support queue has no pool: posted in its channel', candidates: [], alert: null,
    });
  });
});

describe('weighted round robin', () => {
  it('shares by weight, naming the ordinal of the day against the cap', () => {
    const as = run(makePolicy(), empty(), MON_10_BERLIN, 10 * 60_000, 12);
    // Cat is in New York (04:00–05:50 there): only Ana (weight 2) and Bob share.
    expect(tally(as)).toEqual({ [ANA]: 8, [BOB]: 4 });
    expect(users(as).slice(0, 6)).toEqual([ANA, BOB, ANA, ANA, BOB, ANA]);
    expect(as[3]!.reason).toBe('round robin in ae pool: 3rd of 8 today, weight 2');
    expect(as[4]!.reason).toBe('round robin in ae pool: 2nd of 8 today, weight 1');
    const cands = as[3]!.candidates;
    expect(cands.map((c) => [c.user, c.eligible, c.why])).toEqual([
      [ANA, true, 'eligible'], [BOB, true, 'eligible'], [CAT, false, 'off hours (Mon 04:30 in America/New_York)'], [EVE, false, 'inactive'],
    ]);
    // Before the 4th lead: Ana 2, Bob 1 of 3 → targets 2 and 1, equal shortfall; weight breaks the tie.
    expect(cands.slice(0, 2).map((c) => [c.assigned, c.target])).toEqual([[2, 2], [1, 1]]);
  });

  it('off hours in two time zones: Berlin in the morning, New York in the Berlin evening', () => {
    const morning = assign(lead, null, facts(), makePolicy(), empty(), MON_10_BERLIN);
    expect(morning.user).toBe(ANA);
    const evening = assign(lead, null, facts(), makePolicy(), empty(), MON_19_BERLIN);
    expect(evening.user).toBe(CAT);
    expect(evening.candidates.filter((c) => !c.eligible).map((c) => c.why)).toEqual([
      'off hours (Mon 19:00 in Europe/Berlin)', 'off hours (Mon 19:00 in Europe/Berlin)', 'inactive',
    ]);
  });

  it('working hours include their first minute and exclude their closing minute', () => {
    const close = Date.UTC(2026, 10, 30, 16, 30); // 17:30 in Berlin
    const open = Date.UTC(2026, 10, 30, 8); // 09:00 in Berlin, 03:00 in New York
    const solo = (at: number) => assign(lead, null, facts({ exclude: [BOB, CAT] }), makePolicy(), empty(), at);
    expect(solo(close - 1).user).toBe(ANA);
    expect(solo(close).user).toBeNull();
    expect(solo(close).candidates[0]!.why).toBe('off hours (Mon 17:30 in Europe/Berlin)');
    expect(solo(open - 1).user).toBeNull();
    expect(solo(open).user).toBe(ANA);
  });

  it('caps per local day and per local week; credited entries count for nothing', () => {
    const today = Array.from({ length: 8 }, (_, i) => entry(ANA, MON_10_BERLIN - HOUR + i));
    const a = assign(lead, null, facts(), makePolicy(), { ...empty(), entries: today }, MON_10_BERLIN);
    expect(a.user).toBe(BOB);
    expect(a.candidates[0]).toMatchObject({ user: ANA, eligible: false, why: 'capped 8/8 today' });
    // Sunday 22:00 in Berlin is yesterday there: no cap today (the shares still see those 8, so Bob is further behind).
    const sunday = today.map((e) => ({ ...e, at: e.at - 11 * HOUR }));
    const s = assign(lead, null, facts(), makePolicy(), { ...empty(), entries: sunday }, MON_10_BERLIN);
    expect(s.candidates[0]).toMatchObject({ user: ANA, eligible: true, why: 'eligible', assigned: 8, target: 5.33 });
    expect(s.user).toBe(BOB);
    // Reassigned-away or spam-rejected leads are credited back.
    const credited = today.map((e) => ({ ...e, credited: true }));
    const c = assign(lead, null, facts(), makePolicy(), { ...empty(), entries: credited }, MON_10_BERLIN);
    expect(c.user).toBe(ANA);
    expect(c.reason).toBe('round robin in ae pool: 1st of 8 today, weight 2');
    // 30 this week (Tue–Thu of the same local week, any pool, human choices included): capped for the week.
    const thu = Date.UTC(2026, 11, 3, 9);
    const week = Array.from({ length: 30 }, (_, i) => entry(ANA, thu - DAY - 5 * HOUR - i * 60_000, { pool: i % 2 ? 'dach' : null, via: i % 3 ? 'round_robin' : 'human' }));
    const w = assign(lead, null, facts(), makePolicy(), { ...empty(), entries: week }, thu);
    expect(w.user).toBe(BOB);
    expect(w.candidates[0]!.why).toBe('capped 30/30 this week');
    // Account-owner and fallback rows never count toward caps.
    const owned = week.map((e) => ({ ...e, via: 'account_owner' as const }));
    expect(assign(lead, null, facts(), makePolicy(), { ...empty(), entries: owned }, thu).user).toBe(ANA);
  });

  it('an earlier assignee is never chosen again', () => {
    const a = assign(lead, null, facts({ exclude: [ANA] }), makePolicy(), empty(), MON_10_BERLIN);
    expect(a.user).toBe(BOB);
    expect(a.candidates[0]).toMatchObject({ user: ANA, eligible: false, why: 'earlier assignee' });
    const none = assign(lead, null, facts({ exclude: [ANA, BOB] }), makePolicy(), empty(), MON_10_BERLIN);
    expect(none).toMatchObject({ user: null, via: 'fallback', alert: 'U0MANAGER1' });
  });
});

describe('fallback', () => {
  it('nobody eligible anywhere: the queue channel, unassigned, alerting the manager, with every member and why', () => {
    const a = assign(lead, null, facts(), makePolicy(), empty(), SAT_10_BERLIN);
    expect(a).toMatchObject({ user: null, via: 'fallback', rotation: false, pool: 'ae', alert: 'U0MANAGER1' });
    expect(a.reason).toBe('nobody in ae is eligible (Ana: off hours (Sat 10:00 in Europe/Berlin); Bob: off hours (Sat 10:00 in Europe/Berlin); '
      + 'Cat: off hours (Sat 04:00 in America/New_York); Eve: inactive) → queue channel, unassigned; alert to U0MANAGER1');
    expect(a.candidates.map((c) => c.eligible)).toEqual([false, false, false, false]);
  });

  it('follows the pool fallback chain: dach → ae → queue', () => {
    const away = { ...empty(), absences: [{ user: DAN, from: MON_10_BERLIN - DAY, until: null }] };
    const a = assign(lead, enrichment('CH', 900), facts(), makePolicy(), away, MON_10_BERLIN);
    expect(a).toMatchObject({ user: ANA, pool: 'ae', via: 'round_robin', rule: { index: 1 } });
    expect(a.reason).toBe('rule 1: DACH enterprise → dach pool; nobody in dach is eligible (Dan: away until further notice) → ae pool; '
      + 'round robin in ae pool: 1st of 8 today, weight 2');
    expect(a.candidates.map((c) => c.user)).toEqual([DAN, ANA, BOB, CAT, EVE]);
    const b = assign(lead, enrichment('CH', 900), facts(), makePolicy(), empty(), SAT_10_BERLIN);
    expect(b).toMatchObject({ user: null, via: 'fallback', pool: 'dach', alert: 'U0MANAGER1' });
    expect(b.reason).toMatch(/^rule 1: DACH enterprise → dach pool; nobody in dach is eligible \(Dan: off hours \(Sat 10:00 in Europe\/Berlin\)\) → ae pool; nobody in ae is eligible \(.*\) → queue channel, unassigned; alert to U0MANAGER1$/);
  });

  it('is loop-safe even when the fallback chain comes back on itself', () => {
    const policy = makePolicy();
    policy.pools.ae!.fallback = 'dach'; // the schema refuses such a file; the core must still end
    const a = assign(lead, enrichment('DE', 900), facts(), policy, empty(), SAT_10_BERLIN);
    expect(a).toMatchObject({ user: null, via: 'fallback', alert: 'U0MANAGER1' });
    expect(a.reason.match(/nobody in/g)).toHaveLength(2);
  });
});

describe('calibration: no catch-up flood', () => {
  const team = (extra: object = {}) => makePolicy({
    people: { [ANA]: { name: 'Ana', ...berlin }, [BOB]: { name: 'Bob', ...berlin }, [CAT]: { name: 'Cat', ...berlin } },
    pools: { ae: { members: [{ user: ANA }, { user: BOB }, { user: CAT }], window: 'month', always_open: true, ...extra } },
    rules: [],
  });
  const start = Date.UTC(2026, 10, 2, 9);
  const back = start + 40 * HOUR;

  it('an absence is skipped, and on return the absentee gets their share, not every lead', () => {
    const absences = [{ user: CAT, from: start - DAY, until: back }];
    const during = run(team(), { ...empty(), absences }, start, HOUR, 40);
    expect(tally(during)).toEqual({ [ANA]: 20, [BOB]: 20 });
    const entries = during.map((a, i) => entry(a.user!, start + i * HOUR));
    const after = run(team(), { entries, absences, joined: {} }, back, HOUR, 6);
    expect(tally(after)).toEqual({ [ANA]: 2, [BOB]: 2, [CAT]: 2 });
    expect(after[0]!.candidates.map((c) => c.assigned)).toEqual([20, 20, 20]);
    // Without the absence on record Cat would look 20 behind and take every one of the next 6.
    const flood = run(team(), { entries, absences: [], joined: {} }, back, HOUR, 6);
    expect(tally(flood)).toEqual({ [CAT]: 6 });
  });

  it('a member who joined mid-window holds position from the day they joined', () => {
    const entries = Array.from({ length: 40 }, (_, i) => entry(i % 2 ? BOB : ANA, start + i * HOUR));
    const joined = { ae: { [ANA]: start - 60 * DAY, [BOB]: start - 60 * DAY, [CAT]: back } };
    const after = run(team(), { entries, absences: [], joined }, back, HOUR, 6);
    expect(tally(after)).toEqual({ [ANA]: 2, [BOB]: 2, [CAT]: 2 });
    // Weighted: a weight-2 newcomer is held at twice the others' pace, 40 × 2/2 = 40 → half of what follows.
    const heavy = makePolicy({
      people: { [ANA]: { name: 'Ana', ...berlin }, [BOB]: { name: 'Bob', ...berlin }, [CAT]: { name: 'Cat', ...berlin } },
      pools: { ae: { members: [{ user: ANA }, { user: BOB }, { user: CAT, weight: 2 }], window: 'month', always_open: true } },
      rules: [],
    });
    const next = run(heavy, { entries, absences: [], joined }, back, HOUR, 8);
    expect(next[0]!.candidates.map((c) => c.assigned)).toEqual([20, 20, 40]);
    expect(tally(next)).toEqual({ [ANA]: 2, [BOB]: 2, [CAT]: 4 });
  });

  it('entries outside the window neither count nor calibrate', () => {
    const old = Array.from({ length: 10 }, (_, i) => entry(ANA, start - 40 * DAY + i));
    const absences = [{ user: BOB, from: start - 45 * DAY, until: start - 35 * DAY }];
    const a = assign(lead, null, facts(), team(), { entries: old, absences, joined: {} }, start);
    expect(a.candidates.map((c) => c.assigned)).toEqual([0, 0, 0]);
    expect(a.user).toBe(BOB); // least recently assigned: Bob and Cat never were; id order
  });
});

// The time per lead is measured by `npm run bench -- assign`; here, only that a large ledger still assigns everyone.
describe('a large team', () => {
  it('50 people in 5 pools over 2000 ledger entries: every lead gets an owner', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
    const ids = Array.from({ length: 50 }, (_, i) => `U0P${String(i).padStart(5, '0')}`);
    const people = Object.fromEntries(ids.map((id, i) => [id, { name: `P${i}`, timezone: zones[i % 5], hours: 'Mon-Sun 00:00-24:00' }]));
    const pools = Object.fromEntries(Array.from({ length: 5 }, (_, p) => [`p${p}`, {
      members: ids.slice(p * 10, p * 10 + 10).map((user, i) => ({ user, weight: 1 + (i % 3) })), caps: { per_day: 50, per_week: 200 }, window: 'month',
    }]));
    const policy = makePolicy({ people, pools, rules: [{ when: { country: ['DE'] }, queue: 'sales', pool: 'p1' }], salesPool: 'p0' });
    const now = Date.UTC(2026, 10, 30, 12);
    const entries = Array.from({ length: 2000 }, (_, i) => entry(ids[(i * 7) % 50]!, now - (i + 1) * 20 * 60_000, { pool: `p${Math.floor(((i * 7) % 50) / 10)}`, credited: i % 17 === 0 }));
    const absences = ids.slice(0, 8).map((user, i) => ({ user, from: now - (i + 2) * DAY, until: i % 2 ? now - DAY : null }));
    const joined = { p0: Object.fromEntries(ids.slice(0, 10).map((u, i) => [u, now - i * 3 * DAY])) };
    const state = { entries, absences, joined };
    let assigned = 0;
    for (let i = 0; i < 100; i++) if (assign(lead, null, facts(), policy, state, now + i * 1000).user) assigned++;
    expect(assigned).toBe(100);
  });
});
