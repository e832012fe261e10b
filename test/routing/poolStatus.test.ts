import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { CanonicalLead } from '../../src/core/lead.ts';
import { parsePolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/schema.ts';
import { assign, type LedgerEntry, type RoutingState } from '../../src/routing/assign.ts';
import { poolStatus } from '../../src/routing/poolStatus.ts';

const raw = parse(readFileSync('data/policy.json', 'utf8')) as Record<string, unknown> & { routing: Record<string, unknown> };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Mon 2026-11-30 10:00 in Berlin, 04:00 in New York.
const NOW = Date.UTC(2026, 10, 30, 9);

const ANA = 'U0ANA00001', BOB = 'U0BOB00001', CAT = 'U0CAT00001', DAN = 'U0DAN00001', EVE = 'U0EVE00001';
const berlin = { timezone: 'Europe/Berlin', hours: 'Mon-Fri 09:00-17:30' };

function makePolicy(): Policy {
  return parsePolicy(JSON.stringify({
    ...raw,
    people: {
      [ANA]: { name: 'Ana', ...berlin },
      [BOB]: { name: 'Bob', ...berlin },
      [CAT]: { name: 'Cat', timezone: 'America/New_York', hours: 'Mon-Fri 09:00-17:00' },
      [DAN]: { name: 'Dan', ...berlin },
      [EVE]: { name: 'Eve', ...berlin, active: false },
    },
    pools: {
      ae: { members: [{ user: ANA, weight: 2 }, { user: BOB }, { user: CAT }, { user: EVE }], caps: { per_day: 8 }, window: 'week', manager: 'U0MANAGER1', fallback: 'queue' },
      dach: { members: [{ user: DAN }], fallback: 'ae' },
    },
    routing: { ...raw.routing, account_owner_first: false, rules: [], queues: { sales: { channel: 'C0SALES001', pool: 'ae' }, support: { channel: 'C0SUPPORT1' }, founder: { channel: 'C0FOUNDER1' } } },
  })).policy;
}

const lead: CanonicalLead = {
  name: 'Jonas Weber', email: 'jonas@northwind.example', company: 'Northwind', website: null, phone: null, message: 'A demo, please.', source: 'typeform',
  utm: { source: null, medium: null, campaign: null, term: null, content: null }, submitted_at: '2026-11-30T09:00:00Z', submitter_ip: null, raw_answers: {},
};
const facts = { queue: 'sales' as const, intent: 'buying', human: null, crmOwners: { contact: null, company: null, domain: null }, exclude: [] };
const entries = (user: string, n: number, at: number, over: Partial<LedgerEntry> = {}): LedgerEntry[] =>
  Array.from({ length: n }, (_, i) => ({ lead_id: `L-${user}-${at}-${i}`, user, pool: 'ae', at: at + i * 60_000, via: 'round_robin' as const, credited: false, ...over }));

describe('poolStatus', () => {
  it('names whom assign() would pick, with the same figures, and each share of the window against target', () => {
    const state: RoutingState = {
      entries: [
        ...entries(ANA, 5, NOW - 2 * DAY), ...entries(BOB, 1, NOW - 2 * DAY), ...entries(CAT, 2, NOW - 3 * DAY),
        // None of these count: before the window, credited back, or the account owner's (no rotation).
        ...entries(BOB, 3, NOW - 8 * DAY), ...entries(BOB, 2, NOW - DAY, { credited: true }), ...entries(BOB, 1, NOW - DAY, { via: 'account_owner' }),
      ],
      absences: [], joined: {},
    };
    const [ae, dach] = poolStatus(makePolicy(), state, NOW);
    const a = assign(lead, null, facts, makePolicy(), state, NOW);
    // Ana and Bob are at work: targets 4 and 2 of their 6, so Bob is 1 short and next.
    expect(ae!.next).toBe(BOB);
    expect(a.user).toBe(BOB);
    expect(ae!.members.map(({ user, assigned, target }) => ({ user, assigned, target }))).toEqual(a.candidates.map(({ user, assigned, target }) => ({ user, assigned, target })));
    expect(ae).toMatchObject({ pool: 'ae', window: 'week', total: 8, manager: 'U0MANAGER1', fallback: 'queue' });
    expect(ae!.members).toEqual([
      { user: ANA, name: 'Ana', eligible: true, why: 'eligible', weight: 2, assigned: 5, target: 4, count: 5, share: 5 / 8, targetShare: 0.5 },
      { user: BOB, name: 'Bob', eligible: true, why: 'eligible', weight: 1, assigned: 1, target: 2, count: 1, share: 1 / 8, targetShare: 0.25 },
      { user: CAT, name: 'Cat', eligible: false, why: 'off hours (Mon 04:00 in America/New_York)', weight: 1, assigned: 2, target: 0, count: 2, share: 2 / 8, targetShare: 0.25 },
      { user: EVE, name: 'Eve', eligible: false, why: 'inactive', weight: 1, assigned: 0, target: 0, count: 0, share: 0, targetShare: 0 },
    ]);
    expect(dach).toMatchObject({ pool: 'dach', next: DAN, total: 0, manager: null, fallback: 'ae' });
    expect(dach!.members).toEqual([{ user: DAN, name: 'Dan', eligible: true, why: 'eligible', weight: 1, assigned: 0, target: 0, count: 0, share: 0, targetShare: 1 }]);
  });

  it('says who is away and until when; nobody eligible leaves next empty, as assign() falls back', () => {
    const state: RoutingState = {
      entries: entries(ANA, 8, NOW - HOUR),
      absences: [{ user: BOB, from: NOW - DAY, until: null }, { user: DAN, from: NOW - DAY, until: Date.UTC(2026, 11, 23, 23) }],
      joined: {},
    };
    const [ae, dach] = poolStatus(makePolicy(), state, NOW);
    expect(ae!.next).toBeNull();
    expect(assign(lead, null, facts, makePolicy(), state, NOW)).toMatchObject({ user: null, via: 'fallback' });
    expect(ae!.members.map((m) => [m.user, m.eligible, m.why])).toEqual([
      [ANA, false, 'capped 8/8 today'],
      [BOB, false, 'away until further notice'],
      [CAT, false, 'off hours (Mon 04:00 in America/New_York)'],
      [EVE, false, 'inactive'],
    ]);
    expect(dach!.members[0]).toMatchObject({ eligible: false, why: 'away until 2026-12-24' });
    expect(dach!.next).toBeNull();
  });

  it('a member who joined mid-window is calibrated to hold position: figures differ from the raw count', () => {
    const state: RoutingState = { entries: entries(ANA, 6, NOW - 3 * DAY), absences: [], joined: { ae: { [BOB]: NOW - DAY } } };
    const [ae] = poolStatus(makePolicy(), state, NOW);
    const bob = ae!.members.find((m) => m.user === BOB)!;
    // Six leads while Bob was not there, shared by weight among the three active members present: 6 × 1/3.
    expect(bob).toMatchObject({ count: 0, share: 0, assigned: 2 });
    expect(ae!.next).toBe(assign(lead, null, facts, makePolicy(), state, NOW).user);
  });
});
