import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Policy } from '../policy/schema.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Absence } from './assign.ts';

interface AbsenceInput { user: string; setBy: string; now: number }

/** The zone a person's dates are read in: their policy time zone, or UTC for someone not in `people`. */
export function zoneOf(policy: Policy, user: string): string {
  return policy.people[user]?.timezone ?? 'UTC';
}

/** Start of `date` (YYYY-MM-DD) in the person's zone, or null when it is not a calendar date. */
export function dayStartFor(policy: Policy, user: string, date: string): number | null {
  const day = DateTime.fromISO(date, { zone: zoneOf(policy, user) });
  return day.isValid && /^\d{4}-\d{2}-\d{2}$/.test(date) ? day.startOf('day').toMillis() : null;
}

// Open and future-ending rows end now: the span already away stays in the ledger, so calibration still counts it.
const endOpen = (db: Db, user: string, now: number) =>
  db.prepare('UPDATE absences SET until_at = ? WHERE user_id = ? AND (until_at IS NULL OR until_at > ?)').run(now, user, now).changes;

/**
 * Out of office from now until `until` (null: until switched off). Replaces any current absence rather than
 * adding to it, so a shorter new end date wins over an earlier open-ended one.
 */
export function setAbsence(db: Db, audit: AuditLog, input: AbsenceInput & { until: number | null }): Absence {
  const { user, until, setBy, now } = input;
  return db.transaction(() => {
    endOpen(db, user, now);
    db.prepare('INSERT INTO absences (user_id, from_at, until_at, set_by, created_at) VALUES (?, ?, ?, ?, ?)').run(user, now, until, setBy, now);
    audit.record({
      lead_id: null, correlation_id: randomUUID(), stage: 'route', event: 'absence_set', actor: setBy,
      reason: `${user} out of office ${until === null ? 'until switched off' : `until ${new Date(until).toISOString()}`}`,
      output: { user, from: now, until },
    });
    return { user, from: now, until };
  })();
}

/** Ends any current absence now; returns how many rows it ended (0: the person was not away). */
export function endAbsence(db: Db, audit: AuditLog, input: AbsenceInput): number {
  const { user, setBy, now } = input;
  return db.transaction(() => {
    const ended = endOpen(db, user, now);
    if (ended > 0) {
      audit.record({ lead_id: null, correlation_id: randomUUID(), stage: 'route', event: 'absence_ended', actor: setBy, reason: `${user} back in the rotation`, output: { user, at: now, rows: ended } });
    }
    return ended;
  })();
}
