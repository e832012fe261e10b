import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { nowIso } from './db.ts';

export interface AuditEntry {
  lead_id: string | null;
  correlation_id: string;
  stage: string;
  event: string;
  actor?: string;
  input_hash?: string | null;
  output?: unknown;
  decision?: string | null;
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

export interface AuditRow extends Required<Omit<AuditEntry, 'output'>> {
  id: number;
  at: string;
  output_json: string | null;
}

export function hashInput(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 32);
}

/** The audit log only grows: triggers in the schema refuse UPDATE and DELETE. */
export class AuditLog {
  private readonly insert;
  private readonly byLead;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT INTO audit_log
      (at, lead_id, correlation_id, stage, event, actor, input_hash, output_json, decision, reason, policy_hash, prompt_version,
       latency_ms, tokens_in, tokens_out, cache_read_tokens, cache_write_tokens, cost_usd)
      VALUES (@at, @lead_id, @correlation_id, @stage, @event, @actor, @input_hash, @output_json, @decision, @reason, @policy_hash,
       @prompt_version, @latency_ms, @tokens_in, @tokens_out, @cache_read_tokens, @cache_write_tokens, @cost_usd)`);
    this.byLead = db.prepare('SELECT * FROM audit_log WHERE lead_id = ? ORDER BY id');
  }

  record(e: AuditEntry): number {
    const info = this.insert.run({
      at: nowIso(),
      lead_id: e.lead_id,
      correlation_id: e.correlation_id,
      stage: e.stage,
      event: e.event,
      actor: e.actor ?? 'system',
      input_hash: e.input_hash ?? null,
      output_json: e.output === undefined ? null : JSON.stringify(e.output),
      decision: e.decision ?? null,
      reason: e.reason ?? null,
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

  trail(leadId: string): AuditRow[] {
    return this.byLead.all(leadId) as AuditRow[];
  }
}
