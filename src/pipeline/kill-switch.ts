import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Policy } from '../policy/schema.ts';

/** On when the policy file says so or an approver ran `/triage pause`; either one is enough. */
export function isKillSwitchOn(db: Db, policy: Policy): boolean {
  if (policy.kill_switch) return true;
  const value = db.prepare("SELECT value FROM settings WHERE key = 'kill_switch'").pluck().get() as string | undefined;
  return value === 'on';
}

/** The runtime pause behind `/triage pause|resume`, with its audit row. */
export function setKillSwitch(db: Db, audit: AuditLog, on: boolean, actor: string, correlationId: string): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('kill_switch', ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
      .run(on ? 'on' : 'off', actor, new Date().toISOString());
    audit.record({ lead_id: null, correlation_id: correlationId, stage: 'review', event: on ? 'kill_switch_on' : 'kill_switch_off', actor });
  })();
}
