import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { nowIso } from './db.ts';
import { AuditSeal, ERASED } from './auditSeal.ts';

export interface AuditEntry {
  lead_id: string | null;
  correlation_id: string;
  stage: string;
  event: string;
  actor?: string;
  input_hash?: string | null;
  output?: unknown;
  /** A machine word (a final action, a verdict, an effect kind): plain, so never anything a person wrote. */
  decision?: string | null;
  /** Ids of the rules that fired, plain. */
  rules?: readonly string[];
  /** Free text: sealed with the lead's key on a lead's row. */
  reason?: string | null;
  policy_hash?: string | null;
  prompt_version?: string | null;
  latency_ms?: number | null;
  tokens_in?: number | null;
  tokens_out?: number | null;
  cache_read_tokens?: number | null;
  cache_write_tokens?: number | null;
  cost_usd?: number | null;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'output' | 'rules'>> {
  id: number;
  at: string;
  rules: string | null;
  output_json: string | null;
  /** The lead was erased: `reason` reads "erased" and `output_json` is null. */
  erased: boolean;
}

/** Columns a person's words can never reach: machine words only (no spaces, no @, so no sentence and no address). */
const MACHINE_WORD = /^[A-Za-z0-9_.:\-]{0,80}$/;

export function hashInput(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 32);
}

/**
 * The audit log only grows: triggers in the schema refuse UPDATE and DELETE. This is its one writer, and it holds the
 * store's personal-data rule for it: on a lead's row, the free text (`reason`, `output`) is sealed with the lead's
 * key, so erasing the lead forgets it; the plain columns take machine words, ids, hashes and figures only. A row
 * without a lead is about the system (a policy reload, the kill switch, a refused request) and carries none of a
 * submitter's data.
 */
export class AuditLog {
  private readonly insert;
  private readonly byLead;
  readonly seal: AuditSeal;

  constructor(private readonly db: Db) {
    this.seal = new AuditSeal(db);
    this.insert = db.prepare(`INSERT INTO audit_log
      (at, lead_id, correlation_id, stage, event, actor, input_hash, output_json, decision, rules, reason, policy_hash, prompt_version,
       latency_ms, tokens_in, tokens_out, cache_read_tokens, cache_write_tokens, cost_usd)
      VALUES (@at, @lead_id, @correlation_id, @stage, @event, @actor, @input_hash, @output_json, @decision, @rules, @reason, @policy_hash,
       @prompt_version, @latency_ms, @tokens_in, @tokens_out, @cache_read_tokens, @cache_write_tokens, @cost_usd)`);
    this.byLead = db.prepare('SELECT * FROM audit_log WHERE lead_id = ? ORDER BY id');
  }

  record(e: AuditEntry): number {
    const actor = e.actor ?? 'system';
    for (const word of [e.stage, e.event, actor, e.decision ?? '', ...(e.rules ?? [])]) {
      if (!MACHINE_WORD.test(word)) throw new Error(`audit: ${JSON.stringify(word.slice(0, 40))} is not a machine word; free text belongs in reason or output`);
    }
    const plain = [e.reason ?? null, e.output === undefined ? null : JSON.stringify(e.output)] as [string | null, string | null];
    const [reason, output] = e.lead_id ? this.seal.seal(e.lead_id, ...plain) : plain;
    const info = this.insert.run({
      at: nowIso(),
      lead_id: e.lead_id,
      correlation_id: e.correlation_id,
      stage: e.stage,
      event: e.event,
      actor,
      input_hash: e.input_hash ?? null,
      output_json: output,
      decision: e.decision ?? null,
      rules: e.rules ? e.rules.join(',') : null,
      reason,
      policy_hash: e.policy_hash ?? null,
      prompt_version: e.prompt_version ?? null,
      latency_ms: e.latency_ms ?? null,
      tokens_in: e.tokens_in ?? null,
      tokens_out: e.tokens_out ?? null,
      cache_read_tokens: e.cache_read_tokens ?? null,
      cache_write_tokens: e.cache_write_tokens ?? null,
      cost_usd: e.cost_usd ?? null,
    });
    return Number(info.lastInsertRowid);
  }

  /** The lead's rows, oldest first, their sealed fields opened (or "erased"). */
  trail(leadId: string): AuditRow[] {
    return (this.byLead.all(leadId) as Omit<AuditRow, 'erased'>[]).map((r) => this.opened(r));
  }

  /** A row as read from the table, with its sealed fields opened. */
  opened<R extends { lead_id: string | null; reason: string | null; output_json: string | null }>(r: R): R & { erased: boolean } {
    if (!r.lead_id) return { ...r, erased: false };
    const reason = this.seal.open(r.lead_id, r.reason);
    const output = this.seal.open(r.lead_id, r.output_json);
    const erased = reason === ERASED || output === ERASED;
    return { ...r, reason: erased ? ERASED : reason, output_json: erased ? null : output, erased };
  }
}
