import { DateTime } from 'luxon';
import type { Person, Pool } from '../policy/routingSchema.ts';
import type { Absence, LedgerEntry } from './assign.ts';
import { describeLocal, isOpen, localDayStart, localWeekStart, parseHours, type WeeklyHours } from './hours.ts';

const DAY_MS = 86_400_000;

// Pure memo: an hours expression always parses to the same week.
const parsedHours = new Map<string, WeeklyHours>();

export function hoursOf(expr: string): WeeklyHours {
  let hours = parsedHours.get(expr);
  if (!hours) {
    hours = parseHours(expr);
    parsedHours.set(expr, hours);
  }
  return hours;
}

interface LocalDay { start: number; end: number; weekday: number; weekStart: number }

// Pure memo, one local day per time zone: every lead of a day in one zone hits it, so assign() stays far below a
// millisecond (a luxon zone computation costs ~50–150 µs). A day whose length is not 24 h (DST change) is only
// used for its bounds; opening hours on it are asked of hours.ts itself.
const lastDay = new Map<string, LocalDay>();

function localDay(tz: string, at: number): LocalDay {
  const hit = lastDay.get(tz);
  if (hit && at >= hit.start && at < hit.end) return hit;
  const start = localDayStart(tz, at);
  // Local days last 23–25 h, so 36 h after midnight is always inside the next day.
  const end = localDayStart(tz, start + 36 * 3_600_000);
  const weekday = DateTime.fromMillis(start, { zone: tz }).weekday - 1;
  const day = { start, end, weekday, weekStart: localWeekStart(tz, at) };
  lastDay.set(tz, day);
  return day;
}

/** Same answer as hours.ts isOpen (wall-clock minute within a range of that local weekday), from the cached local day. */
export function isWorking(person: Person, at: number): boolean {
  const hours = hoursOf(person.hours);
  const day = localDay(person.timezone, at);
  if (day.end - day.start !== DAY_MS) return isOpen({ hours, timezone: person.timezone }, at);
  const minute = Math.floor((at - day.start) / 60_000);
  return (hours[day.weekday] ?? []).some(([s, e]) => minute >= s && minute < e);
}

/** The absence covering `at` that lasts longest (open-ended first), or null. */
export function absenceAt(absences: readonly Absence[] | undefined, at: number): Absence | null {
  let found: Absence | null = null;
  for (const a of absences ?? []) {
    if (a.from > at || (a.until !== null && at >= a.until)) continue;
    if (!found || a.until === null || (found.until !== null && a.until > found.until)) found = a;
  }
  return found;
}

function awayText(absence: Absence, tz: string): string {
  if (absence.until === null) return 'away until further notice';
  const local = DateTime.fromMillis(absence.until, { zone: tz });
  return `away until ${local.toFormat(local.hour === 0 && local.minute === 0 ? 'yyyy-MM-dd' : 'yyyy-MM-dd HH:mm')}`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export interface MemberContext {
  people: Readonly<Record<string, Person>>;
  now: number;
  exclude: ReadonlySet<string>;
  absences: ReadonlyMap<string, readonly Absence[]>;
  /** Each user's uncredited rotation entries (any pool) up to now. */
  rotations: ReadonlyMap<string, readonly LedgerEntry[]>;
}

export interface MemberCheck {
  eligible: boolean;
  why: string;
  /** The user's rotation assignments so far in their own local day (any pool). */
  today: number;
}

const countSince = (entries: readonly LedgerEntry[] | undefined, since: number) => {
  let n = 0;
  for (const e of entries ?? []) if (e.at >= since) n++;
  return n;
};

function no(why: string, today = 0): MemberCheck {
  return { eligible: false, why, today };
}

/** Why a pool member can or cannot take a lead now: the first reason that rules them out, in a fixed order. */
export function checkMember(ctx: MemberContext, user: string, pool: Pool): MemberCheck {
  const person = ctx.people[user];
  if (!person) return no('not in people');
  if (!person.active) return no('inactive');
  if (ctx.exclude.has(user)) return no('earlier assignee');
  const away = absenceAt(ctx.absences.get(user), ctx.now);
  if (away) return no(awayText(away, person.timezone));
  if (!pool.always_open && !isWorking(person, ctx.now)) return no(`off hours (${describeLocal(person.timezone, ctx.now)})`);
  const day = localDay(person.timezone, ctx.now);
  const times = ctx.rotations.get(user);
  const today = countSince(times, day.start);
  const { per_day: perDay, per_week: perWeek } = pool.caps;
  if (perDay !== undefined && today >= perDay) return no(`capped ${today}/${perDay} today`, today);
  if (perWeek !== undefined) {
    const week = countSince(times, day.weekStart);
    if (week >= perWeek) return no(`capped ${week}/${perWeek} this week`, today);
  }
  return { eligible: true, why: 'eligible', today };
}

/** Why the CRM owner cannot take the lead, or null when they can (active, not away, not an earlier assignee). */
export function ownerUnavailable(ctx: MemberContext, user: string): string | null {
  const person = ctx.people[user];
  if (!person) return 'not in people';
  if (!person.active) return 'inactive';
  if (ctx.exclude.has(user)) return 'an earlier assignee';
  const away = absenceAt(ctx.absences.get(user), ctx.now);
  return away ? awayText(away, person.timezone) : null;
}
