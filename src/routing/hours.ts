import { DateTime, IANAZone } from 'luxon';

/** Index 0..6 = Mon..Sun; each day a sorted, non-overlapping list of [startMinute, endMinute) ranges within that local day (0..1440). */
export type WeeklyHours = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
export interface Calendar { hours: WeeklyHours; timezone: string }
export class HoursError extends Error {
  override name = 'HoursError';
}

type Range = [number, number];

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const EXAMPLE = 'like "Mon-Fri 09:00-17:30"';
const SEGMENT = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/i;
const DAY_MS = 86_400_000;
/** Searches give up after this much calendar time without any opening. */
const SEARCH_LIMIT_MS = 400 * DAY_MS;
const CHUNK_MS = 7 * DAY_MS;

/** Parses e.g. "Mon-Thu 09:00-17:30, Fri 09:00-13:00"; day ranges may wrap ("Fri-Mon"). */
export function parseHours(expr: string): WeeklyHours {
  if (expr.trim() === '') throw new HoursError(`empty hours expression: expected day ranges and HH:MM-HH:MM times, ${EXAMPLE}`);
  const days: Range[][] = DAYS.map(() => []);
  for (const raw of expr.split(',')) {
    const seg = raw.trim();
    const fail = (why: string) => new HoursError(`"${seg}": ${why}`);
    if (seg === '') throw new HoursError(`"${expr}": empty segment between commas, expected segments ${EXAMPLE}`);
    const m = SEGMENT.exec(seg);
    if (!m) throw fail(`expected a day range and HH:MM-HH:MM times, ${EXAMPLE}`);
    const [, d1 = '', d2 = d1, h1 = '', m1 = '', h2 = '', m2 = ''] = m;
    const first = dayIndex(d1, fail);
    const last = dayIndex(d2, fail);
    const start = minuteOf(h1, m1, fail);
    const end = minuteOf(h2, m2, fail);
    if (end <= start) {
      const days = dayRange(first, last);
      const hint =
        end === 0 ? `use 24:00 for midnight, like "${days} ${h1}:${m1}-24:00"`
        : end < start ? `split an overnight range into two segments, like "${days} ${h1}:${m1}-24:00, ${dayRange(first + 1, last + 1)} 00:00-${h2}:${m2}"`
        : 'the range is empty';
      throw fail(`end must be after start; ${hint}`);
    }
    for (let d = first; ; d = (d + 1) % 7) {
      days[d]!.push([start, end]);
      if (d === last) break;
    }
  }
  return days.map(merge);
}

function dayIndex(name: string, fail: (why: string) => HoursError): number {
  const i = DAYS.findIndex((d) => d.toLowerCase() === name.toLowerCase());
  if (i < 0) throw fail(`unknown day "${name}", expected one of ${DAYS.join(' ')}`);
  return i;
}

function minuteOf(h: string, m: string, fail: (why: string) => HoursError): number {
  const minute = Number(h) * 60 + Number(m);
  if (Number(m) > 59 || minute > 1440) throw fail(`invalid time "${h}:${m}", expected HH:MM between 00:00 and 24:00`);
  return minute;
}

function dayRange(first: number, last: number): string {
  const [a, b] = [DAYS[first % 7], DAYS[last % 7]];
  return a === b ? `${a}` : `${a}-${b}`;
}

/** Sorts and merges overlapping or touching ranges (minutes or epoch ms). */
function merge(ranges: Range[]): Range[] {
  const out: Range[] = [];
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const prev = out[out.length - 1];
    if (prev && s <= prev[1]) prev[1] = Math.max(prev[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function isValidTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

// luxon checks a zone name by building an Intl.DateTimeFormat every time (~100 µs): check each name once.
const zones = new Map<string, IANAZone>();

function zone(tz: string): IANAZone {
  let z = zones.get(tz);
  if (z) return z;
  if (!isValidTimeZone(tz)) throw new HoursError(`unknown time zone "${tz}", expected an IANA zone like "Europe/Berlin"`);
  zones.set(tz, (z = IANAZone.create(tz)));
  return z;
}

/**
 * Open intervals of all calendars intersecting [from, to), clipped to it, merged (union).
 * `date` is a UTC-midnight DateTime used only for calendar arithmetic; `date.plus({minutes})`
 * yields the wall-clock fields (1440 → next day 00:00), which luxon then resolves in the zone.
 */
function openIntervals(cals: readonly Calendar[], from: number, to: number): Range[] {
  const out: Range[] = [];
  for (const cal of cals) {
    const z = zone(cal.timezone);
    const local = DateTime.fromMillis(from, { zone: z });
    const wall = (date: DateTime, minute: number): number => {
      const w = date.plus({ minutes: minute });
      return DateTime.fromObject({ year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute }, { zone: z }).toMillis();
    };
    // Start one day early: around DST changes the previous local day can reach past `from`'s midnight.
    for (let date = DateTime.utc(local.year, local.month, local.day).minus({ days: 1 }); wall(date, 0) < to; date = date.plus({ days: 1 })) {
      for (const [sm, em] of cal.hours[date.weekday - 1] ?? []) {
        const s = Math.max(wall(date, sm), from);
        const e = Math.min(wall(date, em), to);
        if (e > s) out.push([s, e]);
      }
    }
  }
  return merge(out);
}

const hasHours = (cals: readonly Calendar[]) => cals.some((c) => c.hours.some((d) => d.length > 0));

/** Open at this instant in the calendar's own zone (start inclusive, end exclusive). */
export function isOpen(cal: Calendar, at: number): boolean {
  return openIntervals([cal], at, at + 1).length > 0;
}

export function isOpenAny(cals: readonly Calendar[], at: number): boolean {
  return cals.some((c) => isOpen(c, at));
}

/** `at` itself when open, else the next instant any calendar opens; null when none opens within 400 days. */
export function nextOpening(cals: readonly Calendar[], at: number): number | null {
  if (!hasHours(cals)) return null;
  for (let cursor = at; cursor - at < SEARCH_LIMIT_MS; cursor += CHUNK_MS) {
    const first = openIntervals(cals, cursor, cursor + CHUNK_MS)[0];
    if (first) return first[0];
  }
  return null;
}

/** Milliseconds in [from, to) during which at least one calendar is open (union, not sum). */
export function workingMs(cals: readonly Calendar[], from: number, to: number): number {
  if (to <= from) return 0;
  return openIntervals(cals, from, to).reduce((sum, [s, e]) => sum + e - s, 0);
}

/**
 * The earliest t >= from with workingMs(cals, from, t) === ms. ms = 0 returns `from`.
 * null when no calendar has hours or 400 days pass without any working time.
 */
export function addWorkingMs(cals: readonly Calendar[], from: number, ms: number): number | null {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new HoursError(`working time must be a finite number >= 0, got ${ms}`);
  if (ms === 0) return from;
  if (!hasHours(cals)) return null;
  let remaining = ms;
  let lastWork = from;
  for (let cursor = from; cursor - lastWork < SEARCH_LIMIT_MS; cursor += CHUNK_MS) {
    for (const [s, e] of openIntervals(cals, cursor, cursor + CHUNK_MS)) {
      if (remaining <= e - s) return s + remaining;
      remaining -= e - s;
      lastWork = e;
    }
  }
  return null;
}

/** Start of the local calendar day containing `at`, in zone tz, as epoch ms. */
export function localDayStart(tz: string, at: number): number {
  return DateTime.fromMillis(at, { zone: zone(tz) }).startOf('day').toMillis();
}

/** Start of the ISO week (Monday 00:00) containing `at`, in zone tz, as epoch ms. */
export function localWeekStart(tz: string, at: number): number {
  return DateTime.fromMillis(at, { zone: zone(tz) }).startOf('week').toMillis();
}

/** Short human text for reasons, e.g. "Tue 18:05 in Europe/Berlin". */
export function describeLocal(tz: string, at: number): string {
  return `${DateTime.fromMillis(at, { zone: zone(tz), locale: 'en-US' }).toFormat('ccc HH:mm')} in ${tz}`;
}
