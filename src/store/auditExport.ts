import { once } from 'node:events';
import { CLASSIFIERS } from '../core/classification.ts';
import { AuditSeal, ERASED } from './auditSeal.ts';
import type { Db } from './db.ts';

/**
 * The audit trail for a warehouse: one row per audit_log row, in id order, columns in a fixed order (below).
 * Streamed: rows come off better-sqlite3's `.iterate()` and leave in batches of about 64 KiB, waiting for the
 * destination to drain, so an export of any size holds one batch in memory, never the whole trail.
 */

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** Always present, in this order. Adding a column appends it (before the personal ones); none is renamed or moved. */
export const AUDIT_EXPORT_COLUMNS = [
  'id', 'at', 'lead_id', 'correlation_id', 'stage', 'event', 'actor', 'decision', 'rules', 'policy_hash', 'prompt_version',
  'input_hash', 'latency_ms', 'tokens_in', 'tokens_out', 'cache_read_tokens', 'cache_write_tokens', 'cost_usd',
] as const;

/**
 * With --include-personal only, appended after the others. `reason` is free text that quotes the submission, the
 * reviewer's own words and Slack user ids; `output_json` holds names, companies, summaries, the submitter's IP.
 */
export const AUDIT_EXPORT_PERSONAL_COLUMNS = ['reason', 'output_json'] as const;

/**
 * Actors that are not a person keep their name in every export. Any other actor is a Slack user id (an approver,
 * a rep claiming a lead): a colleague's identifier, so personal data, and a warehouse wider-read than the store
 * would turn it into per-person monitoring. Without --include-personal it reads `person`: that someone acted is
 * kept, who is not. An allow-list, so an actor added later is left out until it is known not to be a person.
 */
const MACHINE_ACTORS: ReadonlySet<string> = new Set(['system', 'cli', ...CLASSIFIERS]);
export const PERSON_ACTOR = 'person';

export interface AuditExportOptions {
  /** Rows at or after this ISO instant; null for the whole trail. */
  since: string | null;
  includePersonal: boolean;
  format: AuditExportFormat;
  /** Characters gathered before one write (default 64 Ki); tests set it low to see many writes. */
  batchBytes?: number;
}

export function auditExportColumns(includePersonal: boolean): readonly string[] {
  return includePersonal ? [...AUDIT_EXPORT_COLUMNS, ...AUDIT_EXPORT_PERSONAL_COLUMNS] : AUDIT_EXPORT_COLUMNS;
}

/**
 * `rules`: the rule ids that fired, comma-separated in firing order, without their reasons (ids are code-defined
 * words, never commas), written beside the row by the audit writer. Set on precheck and decision_committed rows
 * (`''` when no rule fired); null on others.
 */
function exportSql(includePersonal: boolean): string {
  return `SELECT a.id, a.at, a.lead_id, a.correlation_id, a.stage, a.event, a.actor, a.decision, a.rules,
    a.policy_hash, a.prompt_version, a.input_hash, a.latency_ms, a.tokens_in, a.tokens_out, a.cache_read_tokens, a.cache_write_tokens, a.cost_usd
    ${includePersonal ? ', a.reason, a.output_json' : ''}
    FROM audit_log a WHERE (@since IS NULL OR a.at >= @since) ORDER BY a.id`;
}

type Row = Record<string, string | number | null>;

/** The export's rows as objects with the export's columns in order, one at a time off the database. */
export function* auditExportRows(db: Db, opts: Pick<AuditExportOptions, 'since' | 'includePersonal'>): Generator<Row> {
  const stmt = db.prepare(exportSql(opts.includePersonal));
  const seal = opts.includePersonal ? new AuditSeal(db) : null;
  for (const row of stmt.iterate({ since: opts.since }) as IterableIterator<Row>) {
    if (!opts.includePersonal && typeof row.actor === 'string' && !MACHINE_ACTORS.has(row.actor)) row.actor = PERSON_ACTOR;
    if (seal && typeof row.lead_id === 'string') {
      row.reason = seal.open(row.lead_id, row.reason as string | null);
      const output = seal.open(row.lead_id, row.output_json as string | null);
      // An erased lead's output is gone, not the word "erased" posing as JSON.
      row.output_json = output === ERASED ? null : output;
    }
    yield row;
  }
}

/**
 * One CSV field. RFC 4180 (2.6, 2.7): a field holding a comma, a double quote, CR or LF is enclosed in double
 * quotes and each double quote in it doubled. That is the whole rule, so it is written here rather than taking
 * a CSV library as a dependency (none is one). NULL is an empty field and an empty string `""`, the distinction
 * Postgres' COPY … CSV makes. Nothing else is changed: no quote prefix against spreadsheet formulas (the file is
 * for a warehouse loader, which would keep such a prefix as data; README says so).
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return s === '' || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 4180 ends each record, the header's included, with CRLF. */
const CSV_EOL = '\r\n';

/** The export as text, in pieces of about batchBytes: the CSV header first, then rows. Lazy, like the rows. */
export function* auditExportText(db: Db, opts: AuditExportOptions): Generator<string, number> {
  const columns = auditExportColumns(opts.includePersonal);
  const limit = opts.batchBytes ?? 64 * 1024;
  let batch = opts.format === 'csv' ? columns.map(csvField).join(',') + CSV_EOL : '';
  let count = 0;
  for (const row of auditExportRows(db, opts)) {
    // Keys in column order (the SELECT's), so every ndjson line lists them alike.
    batch += opts.format === 'csv' ? columns.map((c) => csvField(row[c])).join(',') + CSV_EOL : `${JSON.stringify(row)}\n`;
    count++;
    if (batch.length >= limit) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
  return count;
}

/**
 * Writes the export to `dest`, waiting for 'drain' whenever it says its buffer is full; returns the row count.
 * Does not end `dest` (it may be stdout). The database connection stays busy until this settles.
 */
export async function writeAuditExport(db: Db, opts: AuditExportOptions, dest: NodeJS.WritableStream): Promise<number> {
  const text = auditExportText(db, opts);
  try {
    for (;;) {
      const next = text.next();
      if (next.done) return next.value;
      // once() rejects if the destination errors while we wait (a full disk, a closed pipe).
      if (!dest.write(next.value)) await once(dest, 'drain');
    }
  } finally {
    text.return(0); // closes the statement's iterator when a write failed half-way
  }
}
