import { openDb } from '../../store/db.ts';
import { AuditLog, type AuditRow } from '../../store/audit.ts';
import { LeadStore } from '../../store/leads.ts';
import type { Db } from '../../store/db.ts';
import { leadVersions } from '../../policy/versions.ts';
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

const keepLines = (text: string): string[] => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\n$/, '').split('\n').map((l) => `    ${l}`);
const versionsList = (vs: number[]) => `decision${vs.length > 1 ? 's' : ''} v${vs.join(', v')}`;

/** `--policy`: each policy and prompt text behind the lead's decisions, as stored when it decided. */
export function formatLeadVersions(db: Db, leadId: string): string[] {
  const { policies, prompts } = leadVersions(db, leadId);
  if (!policies.length) return ['no decisions yet: no policy or prompt has decided this lead'];
  const lines: string[] = [];
  for (const p of policies) {
    if (!p.stored) {
      lines.push(`policy ${p.hash} (${versionsList(p.decisions)}): not stored: decided before policy versions were recorded`);
      continue;
    }
    lines.push(`policy ${p.hash} (${versionsList(p.decisions)}): version ${p.stored.version}, from ${p.stored.source}, first seen ${p.stored.first_seen_at}`);
    lines.push(...keepLines(p.stored.text));
  }
  for (const p of prompts) {
    if (!p.stored.length) {
      const why = p.version.startsWith('offline')
        ? 'the embedded offline classifier: its rules are code, there is no prompt text'
        : 'not stored: decided before prompt versions were recorded';
      lines.push(`prompt ${p.version} (${versionsList(p.decisions)}): ${why}`);
      continue;
    }
    // More than one text under one version: its files changed without a new version name.
    for (const v of p.stored) {
      lines.push(`prompt ${p.version} (${versionsList(p.decisions)}): hash ${v.hash}, from ${v.source}, first seen ${v.first_seen_at}${p.stored.length > 1 ? ` (one of ${p.stored.length} texts stored under this version)` : ''}`);
      lines.push(...keepLines(v.text));
    }
  }
  return lines;
}

export const audit: Command = {
  name: 'audit',
  summary: "print a lead's whole audit trail",
  usage: 'audit <lead-id|email>',
  help: [
    '<lead-id|email>   the lead (an email address: its most recent lead)',
    "--policy          after the trail, each policy and prompt behind the lead's decisions, with its stored text",
  ],
  async run(args, { config, out, err }) {
    const parsed = parseCommandArgs(audit, args, err, { options: { policy: { type: 'boolean' } }, required: ['lead-id|email'] });
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
      if (parsed.values.policy) {
        out('');
        for (const line of formatLeadVersions(db, record.id)) out(line);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
