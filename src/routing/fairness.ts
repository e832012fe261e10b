import type { Pool } from '../policy/routingSchema.ts';
import type { Absence, LedgerEntry } from './assign.ts';

const DAY_MS = 86_400_000;
/** A pool's fairness window, rolling and ending now. */
export const WINDOW_MS: Record<Pool['window'], number> = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS };
/** Shortfalls closer than this are a tie: calibration adds fractions whose rounding must not decide. */
const EPSILON = 1e-9;

type PoolEntry = Pick<LedgerEntry, 'user' | 'at'>;

export const countsForRotation = (e: LedgerEntry) => !e.credited && (e.via === 'round_robin' || e.via === 'human');

// Hot path note: assign() runs under tsx, whose keep-names transform wraps every named closure created in a
// function at each call; helpers here are methods or module-level functions instead.

/** The ledger read once per assign() call: only uncredited rotation entries up to now count for anything. */
export class LedgerIndex {
  /** Each user's counting entries, any pool (caps). */
  readonly byUser = new Map<string, LedgerEntry[]>();
  private readonly pools = new Map<string, LedgerEntry[]>();

  constructor(entries: readonly LedgerEntry[], now: number) {
    // One map operation per entry: this pass is most of assign()'s cost on a full ledger.
    for (const e of entries) {
      if (e.at > now || !countsForRotation(e)) continue;
      const list = this.byUser.get(e.user);
      if (list) list.push(e);
      else this.byUser.set(e.user, [e]);
    }
  }

  /** One pool's counting entries, gathered on first use (most calls look at one pool). */
  inPool(pool: string): readonly LedgerEntry[] {
    let list = this.pools.get(pool);
    if (!list) {
      list = [];
      for (const own of this.byUser.values()) for (const e of own) if (e.pool === pool) list.push(e);
      this.pools.set(pool, list);
    }
    return list;
  }
}

export interface Member { user: string; weight: number; eligible: boolean }
export interface Figures { assigned: number; target: number; shortfall: number; last: number }
export interface Choice { user: string | null; figures: Map<string, Figures> }

type Gap = readonly [number, number];

/** Spans inside the window during which a member could not receive leads: before joining, and away. Off hours are not gaps. */
function gapsOf(joined: number | undefined, absences: readonly Absence[], from: number, now: number): Gap[] {
  const gaps: Gap[] = [];
  if (joined !== undefined && joined > from) gaps.push([from, Math.min(joined, now + 1)]);
  for (const a of absences) {
    const s = Math.max(a.from, from);
    const e = Math.min(a.until ?? Infinity, now + 1);
    if (e > s) gaps.push([s, e]);
  }
  return gaps;
}

/**
 * Calibration (cal.com's getLuckyUser, weighted): for each pool entry made while a member was not yet joined or
 * away, that member is counted as having received its weight's share of it among the members who could receive it
 * then (weight / weights of the others present). A member returning from two weeks away, or added today, thus holds
 * the position a present member of their weight would have: no catch-up flood, and no penalty either.
 *
 * Computed per segment between gap boundaries (the set of absent members is constant inside one) from integer
 * counts: linear in the entries, and the floating sums never depend on the order the ledger was read in.
 */
function calibrations(members: readonly Member[], entries: readonly PoolEntry[], gaps: ReadonlyMap<string, Gap[]>): Map<string, number> {
  const out = new Map<string, number>();
  if (gaps.size === 0) return out;
  const bounds = [...new Set([...gaps.values()].flat(2))].sort((a, b) => a - b);
  const segments = bounds.slice(1).map(() => ({ n: 0, to: new Map<string, number>() }));
  for (const e of entries) {
    const j = segmentOf(bounds, e.at);
    if (j < 0) continue;
    const seg = segments[j]!;
    seg.n++;
    if (gaps.has(e.user)) seg.to.set(e.user, (seg.to.get(e.user) ?? 0) + 1);
  }
  const total = members.reduce((sum, m) => sum + m.weight, 0);
  segments.forEach((seg, j) => {
    if (seg.n === 0) return;
    const at = bounds[j]!;
    const absent = members.filter((m) => gaps.get(m.user)?.some(([s, e]) => at >= s && at < e));
    const absentWeight = absent.reduce((sum, m) => sum + m.weight, 0);
    let others = seg.n;
    // An entry that went to an absent member (a human choice) is shared among the other absentees only.
    for (const u of absent) {
      const count = seg.to.get(u.user) ?? 0;
      if (count === 0) continue;
      others -= count;
      const present = total - absentWeight + u.weight;
      for (const m of absent) if (m !== u) addTo(out, m, (count * m.weight) / (present > 0 ? present : total));
    }
    const present = total - absentWeight;
    if (others > 0) for (const m of absent) addTo(out, m, (others * m.weight) / (present > 0 ? present : total));
  });
  return out;
}

function addTo(out: Map<string, number>, m: Member, received: number): void {
  out.set(m.user, (out.get(m.user) ?? 0) + received);
}

/** Index j of the segment [bounds[j], bounds[j + 1]) holding `at`, or -1 outside them all. */
function segmentOf(bounds: readonly number[], at: number): number {
  if (bounds.length < 2 || at < bounds[0]! || at >= bounds[bounds.length - 1]!) return -1;
  let lo = 0;
  let hi = bounds.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= at) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Weighted round robin by largest shortfall in the pool's window: assigned_i (entries in this pool plus
 * calibration) against target_i = w_i / ΣW_eligible × Σ_eligible assigned. Ties: higher weight, then least
 * recently assigned in this pool (never = oldest), then user id. `members` are the pool's active members.
 */
export function pickByShortfall(
  poolName: string, pool: Pool, members: readonly Member[], ledger: LedgerIndex,
  joined: Readonly<Record<string, number>>, absences: ReadonlyMap<string, readonly Absence[]>, now: number,
): Choice {
  const from = now - WINDOW_MS[pool.window];
  const all = ledger.inPool(poolName);
  const counts = new Map<string, number>();
  const last = new Map<string, number>();
  const inWindow: PoolEntry[] = [];
  for (const e of all) {
    last.set(e.user, Math.max(last.get(e.user) ?? -Infinity, e.at));
    if (e.at <= from) continue;
    inWindow.push(e);
    counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
  }
  const gaps = new Map<string, Gap[]>();
  for (const m of members) {
    const spans = gapsOf(joined[m.user], absences.get(m.user) ?? [], from, now);
    if (spans.length > 0) gaps.set(m.user, spans);
  }
  const calibration = calibrations(members, inWindow, gaps);

  const assigned = members.map((m) => (counts.get(m.user) ?? 0) + (calibration.get(m.user) ?? 0));
  const eligible = members.filter((m) => m.eligible);
  const weights = eligible.reduce((sum, m) => sum + m.weight, 0);
  const sum = members.reduce((s, m, i) => (m.eligible ? s + assigned[i]! : s), 0);
  const figures = new Map<string, Figures>();
  for (const [i, m] of members.entries()) {
    const a = assigned[i]!;
    const target = m.eligible ? (m.weight / weights) * sum : 0;
    figures.set(m.user, { assigned: a, target, shortfall: target - a, last: last.get(m.user) ?? -Infinity });
  }
  let best: Member | null = null;
  for (const m of eligible) if (!best || before(m, best, figures)) best = m;
  return { user: best?.user ?? null, figures };
}

function before(a: Member, b: Member, figures: ReadonlyMap<string, Figures>): boolean {
  const fa = figures.get(a.user)!;
  const fb = figures.get(b.user)!;
  if (Math.abs(fa.shortfall - fb.shortfall) > EPSILON) return fa.shortfall > fb.shortfall;
  if (a.weight !== b.weight) return a.weight > b.weight;
  if (fa.last !== fb.last) return fa.last < fb.last;
  return a.user < b.user;
}
