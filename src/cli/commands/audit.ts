import { closeSync, createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseDuration } from '../../core/duration.ts';
import { openDb, openReadOnly } from '../../store/db.ts';
import { AuditLog, type AuditRow } from '../../store/audit.ts';
import { AUDIT_EXPORT_FORMATS, writeAuditExport, type AuditExportFormat } from '../../store/auditExport.ts';
import { LeadStore } from '../../store/leads.ts';
import type { Db } from '../../store/db.ts';
import { leadVersions } from '../../policy/versions.ts';
import { missingDatabase, noSuchLead, parseCommandArgs, usageError, type Command, type CommandContext } from '../command.ts';

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

export const EXPORT_USAGE = 'audit export [--since 30d|all] [--format ndjson|csv] [--include-personal] [--out <file>]';
const EXPORT_HELP = [
  `audit export      every lead's audit rows, streamed for a warehouse (columns: README, "Loading the audit trail into a warehouse")`,
  '  --since <30d|all>     rows this recent (s, m, h, d), or all of them; default 30d',
  '  --format ndjson|csv   one JSON object a line (default), or CSV with a header row (RFC 4180)',
  '  --include-personal    add reason and output_json, and Slack user ids as actor (left out otherwise)',
  '  --out <file>          write there (complete or not at all) instead of stdout',
] as const;

const EXPORT_OPTIONS = {
  since: { type: 'string' },
  format: { type: 'string' },
  'include-personal': { type: 'boolean' },
  out: { type: 'string' },
} as const;

const exportCommand: Pick<Command, 'name' | 'usage'> = { name: 'audit export', usage: EXPORT_USAGE };

export interface AuditExportDeps {
  /** The instant --since counts back from. */
  now?: number;
  /** Where rows go without --out; tests pass their own. */
  stdout?: NodeJS.WritableStream;
}

/**
 * `audit export`: streams the trail to stdout or --out, the row count to stderr. Reads through a read-only
 * connection; --out is written to a temporary file beside it and renamed when complete, so a loader watching
 * the directory never picks up half an export.
 */
export async function runAuditExport(args: string[], ctx: CommandContext, deps: AuditExportDeps = {}): Promise<number> {
  const parsed = parseCommandArgs(exportCommand, args, ctx.err, { options: EXPORT_OPTIONS });
  if (!parsed) return 2;
  const v = parsed.values;
  const format = v.format ?? 'ndjson';
  if (!(AUDIT_EXPORT_FORMATS as readonly string[]).includes(format)) {
    return usageError(exportCommand, ctx.err, `--format ${JSON.stringify(format)} is not one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
  }
  const sinceText = v.since ?? '30d';
  const sinceMs = sinceText === 'all' ? null : parseDuration(sinceText);
  if (sinceText !== 'all' && sinceMs === null) {
    return usageError(exportCommand, ctx.err, `--since ${JSON.stringify(sinceText)} is not a duration like "30d", "12h" or "90m", or all`);
  }
  if (v.out === '') return usageError(exportCommand, ctx.err, '--out needs a file name');
  const since = sinceMs === null ? null : new Date((deps.now ?? Date.now()) - sinceMs).toISOString();
  const noDb = missingDatabase(ctx.config);
  if (noDb) {
    ctx.err(`lead-triage audit export: ${noDb}`);
    return 1;
  }
  const partial = v.out ? `${v.out}.partial-${process.pid}` : null;
  let fd: number | null = null;
  if (partial) {
    try {
      fd = openSync(partial, 'w');
    } catch (e) {
      ctx.err(`lead-triage audit export: cannot write ${v.out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return 1;
    }
  }
  let writer: Db | null = null;
  let reader: Db | null = null;
  let done = false;
  try {
    // Opened first, as replay does: it brings the schema up to date and keeps the WAL files the reader needs.
    writer = openDb(ctx.config.databasePath);
    reader = openReadOnly(ctx.config.databasePath);
    const file = fd === null ? null : createWriteStream(partial!, { fd });
    fd = null; // the stream owns it now
    const dest = file ?? deps.stdout ?? process.stdout;
    const opts = { since, includePersonal: v['include-personal'] === true, format: format as AuditExportFormat };
    let count: number;
    try {
      count = await writeAuditExport(reader, opts, dest);
    } finally {
      file?.end();
    }
    if (file) {
      await finished(file);
      renameSync(partial!, v.out!);
    }
    done = true;
    const window = since ? `since ${since} (${sinceText})` : 'all time';
    ctx.err(`lead-triage audit export: ${count} row${count === 1 ? '' : 's'}, ${window}${v.out ? `, written to ${v.out}` : ''}`);
    return 0;
  } finally {
    if (fd !== null) closeSync(fd);
    if (partial && !done) rmSync(partial, { force: true });
    reader?.close();
    writer?.close();
  }
}

export const audit: Command = {
  name: 'audit',
  summary: "print a lead's whole audit trail, or export every lead's for a warehouse",
  // Kept to the lead form: `audit export` is described in the help lines below.
  usage: 'audit <lead-id|email>',
  help: [
    '<lead-id|email>   the lead (an email address: its most recent lead)',
    "--policy          after the trail, each policy and prompt behind the lead's decisions, with its stored text",
    ...EXPORT_HELP,
  ],
  async run(args, ctx) {
    // `export` is a sub-command; lead ids are ld_… and emails hold an @, so no lead is called "export".
    if (args[0] === 'export') return runAuditExport(args.slice(1), ctx);
    const { config, out, err } = ctx;
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
      const erasedAt = record || key.includes('@') ? null : leads.erasedAt(key);
      if (!record && !erasedAt) {
        err(`lead-triage audit: ${noSuchLead(key, config.databasePath)}`);
        return 1;
      }
      out(record
        ? `lead ${record.id}  <${record.lead.email}>  status=${record.status}  via ${record.provider}  correlation=${record.correlation_id}`
        : `lead ${key}  <erased>  status=erased on ${erasedAt!.slice(0, 10)}: its personal fields read "erased"`);
      const leadId = record?.id ?? key;
      for (const row of new AuditLog(db).trail(leadId)) out(formatAuditRow(row));
      if (parsed.values.policy) {
        out('');
        for (const line of formatLeadVersions(db, leadId)) out(line);
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
