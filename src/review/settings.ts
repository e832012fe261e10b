import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';

/** Writes the runtime pause read by src/pipeline/kill-switch.ts (ORed with the policy's kill_switch), with its audit row. */
export function setKillSwitch(db: Db, audit: AuditLog, on: boolean, actor: string, correlationId: string): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('kill_switch', ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
      .run(on ? 'on' : 'off', actor, new Date().toISOString());
    audit.record({ lead_id: null, correlation_id: correlationId, stage: 'review', event: on ? 'kill_switch_on' : 'kill_switch_off', actor });
  })();
}
