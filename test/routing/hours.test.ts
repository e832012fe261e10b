import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  HoursError,
  addWorkingMs,
  describeLocal,
  isOpen,
  isOpenAny,
  isValidTimeZone,
  localDayStart,
  localWeekStart,
  nextOpening,
  parseHours,
  workingMs,
  type Calendar,
} from '../../src/routing/hours.ts';

const t = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const M = 60_000;
const berlin: Calendar = { hours: parseHours('Mon-Fri 09:00-17:30'), timezone: 'Europe/Berlin' };
const newYork: Calendar = { hours: parseHours('Mon-Fri 09:00-17:00'), timezone: 'America/New_York' };
const daily = (tz: string, expr = 'Mon-Sun 09:00-17:30'): Calendar => ({ hours: parseHours(expr), timezone: tz });

function parseError(expr: string): string {
  try {
    parseHours(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(HoursError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to fail`);
}

describe('parseHours', () => {
  it('parses day ranges, single days and several segments', () => {
    expect(parseHours('Mon-Fri 09:00-17:30')).toEqual([
      [[540, 1050]], [[540, 1050]], [[540, 1050]], [[540, 1050]], [[540, 1050]], [], [],
    ]);
    expect(parseHours('Mon-Thu 09:00-17:30, Fri 09:00-13:00')[4]).toEqual([[540, 780]]);
    expect(parseHours('Sat 10:00-14:00')).toEqual([[], [], [], [], [], [[600, 840]], []]);
    expect(parseHours('Mon-Sun 06:00-22:00').every((d) => d.length === 1 && d[0]![0] === 360 && d[0]![1] === 1320)).toBe(true);
    expect(parseHours('mon-FRI 09:00-17:30')).toEqual(parseHours('Mon-Fri 09:00-17:30'));
    expect(parseHours('Mon 00:00-24:00')[0]).toEqual([[0, 1440]]);
  });

  it('keeps split days, merges overlaps, wraps day ranges past Sunday', () => {
    expect(parseHours('Mon-Fri 09:00-12:00, Mon-Fri 13:00-17:30')[2]).toEqual([[540, 720], [780, 1050]]);
    expect(parseHours('Mon 13:00-17:00, Mon 09:00-12:00, Mon 11:00-13:30')[0]).toEqual([[540, 1020]]);
    expect(parseHours('Fri-Mon 08:00-12:00')).toEqual([[[480, 720]], [], [], [], [[480, 720]], [[480, 720]], [[480, 720]]]);
  });

  it('rejects bad expressions with one clear line', () => {
    expect(parseError('Mon-Fri 9-17')).toBe('"Mon-Fri 9-17": expected a day range and HH:MM-HH:MM times, like "Mon-Fri 09:00-17:30"');
    expect(parseError('')).toBe('empty hours expression: expected day ranges and HH:MM-HH:MM times, like "Mon-Fri 09:00-17:30"');
    expect(parseError('  ')).toMatch(/^empty hours expression/);
    expect(parseError('Mon-Fri 09:00-17:30, Fri 09:00-12:00, Tue 9:00-10:00')).toBe(
      '"Tue 9:00-10:00": expected a day range and HH:MM-HH:MM times, like "Mon-Fri 09:00-17:30"',
    );
    expect(parseError('Mon-Fry 09:00-17:30')).toBe('"Mon-Fry 09:00-17:30": unknown day "Fry", expected one of Mon Tue Wed Thu Fri Sat Sun');
    expect(parseError('Mon 25:00-26:00')).toBe('"Mon 25:00-26:00": invalid time "25:00", expected HH:MM between 00:00 and 24:00');
    expect(parseError('Mon 09:60-10:00')).toMatch(/invalid time "09:60"/);
    expect(parseError('Mon-Fri 22:00-06:00')).toBe(
      '"Mon-Fri 22:00-06:00": end must be after start; split an overnight range into two segments, like "Mon-Fri 22:00-24:00, Tue-Sat 00:00-06:00"',
    );
    expect(parseError('Sun 22:00-00:00')).toBe('"Sun 22:00-00:00": end must be after start; use 24:00 for midnight, like "Sun 22:00-24:00"');
    expect(parseError('Mon 09:00-09:00')).toBe('"Mon 09:00-09:00": end must be after start; the range is empty');
    expect(parseError('Mon-Fri 09:00-17:30,')).toBe(
      '"Mon-Fri 09:00-17:30,": empty segment between commas, expected segments like "Mon-Fri 09:00-17:30"',
    );
  });
});

describe('time zones', () => {
  it('validates IANA zones and rejects unknown zones in calendars', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => isOpen({ hours: berlin.hours, timezone: 'Mars/Olympus' }, t('2026-01-05T10:00:00Z'))).toThrow(
      'unknown time zone "Mars/Olympus"',
    );
  });

  it('describes an instant in local terms', () => {
    expect(describeLocal('Europe/Berlin', t('2026-01-06T17:05:00Z'))).toBe('Tue 18:05 in Europe/Berlin');
    expect(describeLocal('America/New_York', t('2026-01-06T03:00:00Z'))).toBe('Mon 22:00 in America/New_York');
  });

  it('finds local day and ISO week starts', () => {
    // DST starts at 02:00 that day, so midnight is still CET (UTC+1).
    expect(localDayStart('Europe/Berlin', t('2026-03-29T12:00:00Z'))).toBe(t('2026-03-28T23:00:00Z'));
    expect(localDayStart('Europe/Berlin', t('2026-07-01T23:30:00Z'))).toBe(t('2026-07-01T22:00:00Z'));
    expect(localDayStart('America/New_York', t('2026-01-06T03:00:00Z'))).toBe(t('2026-01-05T05:00:00Z'));
    expect(localWeekStart('Europe/Berlin', t('2026-01-08T12:00:00Z'))).toBe(t('2026-01-04T23:00:00Z'));
    expect(localWeekStart('Europe/Berlin', t('2026-01-11T22:59:59Z'))).toBe(t('2026-01-04T23:00:00Z'));
    expect(localWeekStart('Europe/Berlin', t('2026-01-11T23:00:00Z'))).toBe(t('2026-01-11T23:00:00Z'));
    // Sun 2026-01-04 22:00 in New York belongs to the week starting Mon 2025-12-29.
    expect(localWeekStart('America/New_York', t('2026-01-05T03:00:00Z'))).toBe(t('2025-12-29T05:00:00Z'));
  });
});

describe('isOpen', () => {
  it('uses the calendar own zone, start inclusive and end exclusive', () => {
    expect(isOpen(berlin, t('2026-01-05T08:00:00Z'))).toBe(true); // Mon 09:00 CET
    expect(isOpen(berlin, t('2026-01-05T07:59:59.999Z'))).toBe(false);
    expect(isOpen(berlin, t('2026-01-05T16:29:59.999Z'))).toBe(true);
    expect(isOpen(berlin, t('2026-01-05T16:30:00Z'))).toBe(false); // 17:30
    expect(isOpen(berlin, t('2026-07-06T07:00:00Z'))).toBe(true); // Mon 09:00 CEST
    expect(isOpen(berlin, t('2026-07-06T06:59:00Z'))).toBe(false);
    expect(isOpen(berlin, t('2026-01-10T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(newYork, t('2026-01-05T14:00:00Z'))).toBe(true); // Mon 09:00 EST
    expect(isOpen(newYork, t('2026-01-05T13:59:00Z'))).toBe(false);
    expect(isOpen(newYork, t('2026-01-05T08:00:00Z'))).toBe(false); // 03:00 in New York
    expect(isOpen(newYork, t('2026-07-06T13:00:00Z'))).toBe(true); // Mon 09:00 EDT
  });

  it('follows wall-clock hours across DST changes', () => {
    const b = daily('Europe/Berlin');
    expect(isOpen(b, t('2026-03-28T08:00:00Z'))).toBe(true); // Sat 09:00 CET
    expect(isOpen(b, t('2026-03-29T07:00:00Z'))).toBe(true); // Sun 09:00 CEST
    expect(isOpen(b, t('2026-03-29T15:30:00Z'))).toBe(false); // 17:30 CEST
    expect(isOpen(b, t('2026-10-25T08:00:00Z'))).toBe(true); // Sun 09:00 CET
    expect(isOpen(b, t('2026-10-25T07:30:00Z'))).toBe(false); // 08:30 CET
    const ny = daily('America/New_York');
    expect(isOpen(ny, t('2026-03-08T13:00:00Z'))).toBe(true); // 09:00 EDT
    expect(isOpen(ny, t('2026-03-07T13:30:00Z'))).toBe(false); // 08:30 EST
    expect(isOpen(ny, t('2026-11-01T13:30:00Z'))).toBe(false); // 08:30 EST
    expect(isOpen(ny, t('2026-11-01T14:00:00Z'))).toBe(true);
  });

  it('isOpenAny is the union of calendars', () => {
    const both = [berlin, newYork];
    expect(isOpenAny(both, t('2026-01-05T09:00:00Z'))).toBe(true); // Berlin only
    expect(isOpenAny(both, t('2026-01-05T18:00:00Z'))).toBe(true); // New York only
    expect(isOpenAny(both, t('2026-01-05T22:30:00Z'))).toBe(false);
    expect(isOpenAny([], t('2026-01-05T09:00:00Z'))).toBe(false);
  });
});

describe('workingMs', () => {
  it('counts wall-clock hours on DST-change days', () => {
    for (const [tz, day] of [
      ['Europe/Berlin', '2026-03-29T12:00:00Z'],
      ['Europe/Berlin', '2026-10-25T12:00:00Z'],
      ['America/New_York', '2026-03-08T12:00:00Z'],
      ['America/New_York', '2026-11-01T12:00:00Z'],
    ] as const) {
      const start = localDayStart(tz, t(day));
      expect(workingMs([daily(tz)], start, start + 30 * H)).toBe(8.5 * H);
    }
    const full = daily('Europe/Berlin', 'Mon-Sun 00:00-24:00');
    const spring = localDayStart('Europe/Berlin', t('2026-03-29T12:00:00Z'));
    const fall = localDayStart('Europe/Berlin', t('2026-10-25T12:00:00Z'));
    expect(workingMs([full], spring, localDayStart('Europe/Berlin', spring + 30 * H))).toBe(23 * H);
    expect(workingMs([full], fall, localDayStart('Europe/Berlin', fall + 30 * H))).toBe(25 * H);
    // The skipped hour does not exist, so nothing is worked in it.
    expect(workingMs([daily('Europe/Berlin', 'Sun 02:00-03:00')], spring, spring + 24 * H)).toBe(0);
  });

  it('counts a weekend as zero and clips to [from, to)', () => {
    // Fri 17:00 CET -> Mon 10:00 CET: 30 min Friday + 60 min Monday.
    expect(workingMs([berlin], t('2026-01-09T16:00:00Z'), t('2026-01-12T09:00:00Z'))).toBe(90 * M);
    expect(workingMs([berlin], t('2026-01-10T00:00:00Z'), t('2026-01-12T00:00:00Z'))).toBe(0);
    expect(workingMs([berlin], t('2026-01-12T09:00:00Z'), t('2026-01-09T16:00:00Z'))).toBe(0);
    // Two full weeks of Mon-Fri 09:00-17:30.
    expect(workingMs([berlin], t('2026-01-04T23:00:00Z'), t('2026-01-18T23:00:00Z'))).toBe(10 * 8.5 * H);
  });

  it('counts overlapping calendars once (union, not sum)', () => {
    const both = [berlin, newYork];
    // Mon 2026-01-05: Berlin 08:00-16:30Z, New York 14:00-22:00Z -> 08:00-22:00Z.
    expect(workingMs(both, t('2026-01-05T00:00:00Z'), t('2026-01-06T00:00:00Z'))).toBe(14 * H);
    // Mon 2026-03-09: New York already on EDT, Berlin still on CET -> 08:00-21:00Z.
    expect(workingMs(both, t('2026-03-09T00:00:00Z'), t('2026-03-10T00:00:00Z'))).toBe(13 * H);
    expect(workingMs([berlin, berlin], t('2026-01-05T00:00:00Z'), t('2026-01-06T00:00:00Z'))).toBe(8.5 * H);
  });
});

describe('nextOpening', () => {
  it('returns the instant itself when open, else the next opening', () => {
    expect(nextOpening([berlin], t('2026-01-05T10:00:00Z'))).toBe(t('2026-01-05T10:00:00Z'));
    expect(nextOpening([berlin], t('2026-01-06T23:00:00Z'))).toBe(t('2026-01-07T08:00:00Z')); // Wed 00:00 -> 09:00
    expect(nextOpening([berlin], t('2026-01-09T16:30:00Z'))).toBe(t('2026-01-12T08:00:00Z')); // Fri close -> Mon
    expect(nextOpening([berlin, newYork], t('2026-01-05T16:30:00Z'))).toBe(t('2026-01-05T16:30:00Z'));
    expect(nextOpening([berlin, newYork], t('2026-01-05T22:00:00Z'))).toBe(t('2026-01-06T08:00:00Z'));
    expect(nextOpening([berlin], t('2026-03-27T16:30:00Z'))).toBe(t('2026-03-30T07:00:00Z')); // across DST
  });

  it('returns null when no calendar has hours', () => {
    const closed: Calendar = { hours: [[], [], [], [], [], [], []], timezone: 'Europe/Berlin' };
    expect(nextOpening([closed], t('2026-01-05T10:00:00Z'))).toBeNull();
    expect(nextOpening([], t('2026-01-05T10:00:00Z'))).toBeNull();
    expect(addWorkingMs([closed], t('2026-01-05T10:00:00Z'), H)).toBeNull();
    expect(addWorkingMs([closed], t('2026-01-05T10:00:00Z'), 0)).toBe(t('2026-01-05T10:00:00Z'));
  });
});

describe('addWorkingMs', () => {
  it('crosses a night and a weekend', () => {
    // Tue 17:00 CET + 2 h -> 30 min Tue, 90 min Wed -> Wed 10:30 CET.
    expect(addWorkingMs([berlin], t('2026-01-06T16:00:00Z'), 2 * H)).toBe(t('2026-01-07T09:30:00Z'));
    // Fri 17:00 CET + 45 min -> Mon 09:15 CET.
    expect(addWorkingMs([berlin], t('2026-01-09T16:00:00Z'), 45 * M)).toBe(t('2026-01-12T08:15:00Z'));
    // Exactly the rest of Friday lands on the close (the earliest such instant), not on Monday.
    expect(addWorkingMs([berlin], t('2026-01-09T16:00:00Z'), 30 * M)).toBe(t('2026-01-09T16:30:00Z'));
    // From Saturday, 1 h -> Mon 10:00 CET.
    expect(addWorkingMs([berlin], t('2026-01-10T12:00:00Z'), H)).toBe(t('2026-01-12T09:00:00Z'));
    // Fri 17:00 CET + 1 h across the DST weekend -> Mon 09:30 CEST.
    expect(addWorkingMs([berlin], t('2026-03-27T16:00:00Z'), H)).toBe(t('2026-03-30T07:30:00Z'));
    expect(addWorkingMs([berlin], t('2026-01-10T12:00:00Z'), 0)).toBe(t('2026-01-10T12:00:00Z'));
  });

  it('uses the union of calendars and spans weeks', () => {
    // Mon 2026-01-05 from 16:00Z: Berlin 30 min + New York until 22:00Z -> 6 h that day; 1 h more is Tue 09:00Z.
    expect(addWorkingMs([berlin, newYork], t('2026-01-05T16:00:00Z'), 7 * H)).toBe(t('2026-01-06T09:00:00Z'));
    // 10 full Berlin days from Monday midnight end on the second Friday at 17:30.
    expect(addWorkingMs([berlin], t('2026-01-04T23:00:00Z'), 85 * H)).toBe(t('2026-01-16T16:30:00Z'));
  });

  it('rejects negative working time', () => {
    expect(() => addWorkingMs([berlin], 0, -1)).toThrow(HoursError);
  });

  it('property: workingMs(from, addWorkingMs(from, ms)) === ms, and it is the earliest such instant', () => {
    const cals = [berlin, newYork, daily('Asia/Kolkata', 'Mon-Fri 10:00-13:00, Sat 10:00-14:00')];
    fc.assert(
      fc.property(
        fc.integer({ min: t('2026-01-01T00:00:00Z'), max: t('2027-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 150 * H }),
        (from, ms) => {
          const end = addWorkingMs(cals, from, ms);
          expect(end).not.toBeNull();
          expect(workingMs(cals, from, end!)).toBe(ms);
          if (ms > 0) expect(workingMs(cals, from, end! - 1)).toBeLessThan(ms);
        },
      ),
      { numRuns: 200 },
    );
  });
});
