import { openDb } from '../../store/db.ts';
import { AuditLog, type AuditRow } from '../../store/audit.ts';
import { LeadStore } from '../../store/leads.ts';
import { missingDatabase, noSuchLead, parseCommandArgs, type Command } from '../command.ts';

export function formatAuditRow(r: AuditRow): string {
  const figures = [
    r.latency_ms != null ? `${Math.round(r.latency_ms)}ms` : null,
    r.tokens_in ? `${r.tokens_in}→${r.tokens_out} tok` : null,
    r.cost_usd ? `$${r.cost_usd.toFixed(5)}` : null,
  ].filter(Boolean).join(' ');
  const head = `${r.at}  ${r.stage.padEnd(9)} ${r.event.padEnd(20)} ${r.actor.padEnd(10)}`;
  const tail = [r.decision && `decision=${r.decision}`, r.reason && `reason: ${r.reason}`, figures].filter(Boolean).join('  ');
  // Reasons can carry submitted text: keep each audit row on one line whatever it contains.
  return `${head} ${tail}`.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
}

export const audit: Command = {
  name: 'audit',
  summary: "print a lead's whole audit trail",
  usage: 'audit <lead-id|email>',
  async run(args, { config, out, err }) {
    const parsed = parseCommandArgs(audit, args, err, { required: ['lead-id|email'] });
    if (!parsed) return 2;
    const key = parsed.positionals[0]!;
    const noDb = missingDatabase(config);
    if (noDb) {
      err(`lead-triage audit: ${noDb}`);
      return 1;
    }
    const db = openDb(config.databasePath);
    try {
      const leads = new LeadStore(db);
      const record = key.includes('@') ? leads.latestByEmail(key) : leads.get(key);
      if (!record) {
        err(`lead-triage audit: ${noSuchLead(key, config.databasePath)}`);
        return 1;
      }
      out(`lead ${record.id}  <${record.lead.email}>  status=${record.status}  via ${record.provider}  correlation=${record.correlation_id}`);
      for (const row of new AuditLog(db).trail(record.id)) out(formatAuditRow(row));
      return 0;
    } finally {
      db.close();
    }
  },
};
