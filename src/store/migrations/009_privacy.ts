import { AuditSeal } from '../auditSeal.ts';
import type { Db } from '../db.ts';
import type { Migration } from './index.ts';

/** The rule ids of a `rules` array in a JSON column, comma-separated in firing order; as the audit export read them. */
const ruleIds = (from: string, json: string, where = '') =>
  `(SELECT coalesce(group_concat(json_extract(r.value, '$.rule'), ',' ORDER BY r.key), '')
   FROM ${from}json_each(CASE WHEN json_valid(${json}) THEN ${json} END, '$.rules') r${where})`;

/**
 * Seals what the audit log already holds, once. This is the only place an audit row is ever changed: the
 * no-update trigger is dropped and recreated inside the migration's transaction, so no other writer sees a gap.
 * Rule ids move to their own plain column first, because sealing hides the JSON they were read from.
 */
function sealExistingRows(db: Db): void {
  db.exec('DROP TRIGGER audit_log_no_update');
  db.exec(`UPDATE audit_log SET rules = CASE
      WHEN event = 'precheck' THEN ${ruleIds('', 'audit_log.output_json')}
      WHEN event = 'decision_committed' THEN ${ruleIds('decisions d, ', 'd.decision_json', " WHERE d.id = json_extract(audit_log.output_json, '$.decision_id')")}
    END
    WHERE output_json IS NOT NULL AND json_valid(output_json) AND event IN ('precheck', 'decision_committed')`);
  const seal = new AuditSeal(db);
  const update = db.prepare('UPDATE audit_log SET reason = ?, output_json = ? WHERE id = ?');
  const rows = db.prepare('SELECT id, lead_id, reason, output_json FROM audit_log WHERE lead_id IS NOT NULL AND (reason IS NOT NULL OR output_json IS NOT NULL)');
  for (const r of rows.all() as { id: number; lead_id: string; reason: string | null; output_json: string | null }[]) {
    update.run(...seal.seal(r.lead_id, r.reason, r.output_json), r.id);
  }
  db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
}

export const privacy: Migration = {
  version: 9,
  name: 'privacy',
  sql: `
-- One AES-256-GCM key per lead for the audit log's personal fields. Erasing a lead sets key NULL (crypto-shredding):
-- its sealed fields stay in the append-only log but can never be read again.
CREATE TABLE audit_keys (
  lead_id TEXT PRIMARY KEY,
  key BLOB,
  created_at TEXT NOT NULL,
  erased_at TEXT
);

-- The rule ids that fired (comma-separated), plain: the export and the figures read them without the sealed fields.
ALTER TABLE audit_log ADD COLUMN rules TEXT;
CREATE INDEX audit_at ON audit_log (at);
-- Every message posted about a lead (card, thread reply, DM), so erasing the lead can replace each one in place.
CREATE TABLE slack_posts (
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  posted_at TEXT NOT NULL,
  PRIMARY KEY (channel, ts)
);
CREATE INDEX slack_posts_lead ON slack_posts (lead_id);

-- Retention picks leads by age.
CREATE INDEX leads_created ON leads (created_at);
`,
  after: sealExistingRows,
};
