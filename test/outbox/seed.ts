import { randomUUID } from 'node:crypto';
import { openDb, type Db } from '../../src/store/db.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { commitDecision } from '../../src/pipeline/commit.ts';
import type { Action, Decision } from '../../src/core/decision.ts';
import type { CanonicalLead } from '../../src/core/lead.ts';
import type { ClassifierResult } from '../../src/core/classification.ts';
import { loadPolicy } from '../../src/policy/load.ts';

export const policy = loadPolicy('data/policy.json');

export function lead(over: Partial<CanonicalLead> = {}): CanonicalLead {
  return {
    name: 'Jane Doe', email: 'jane@acme-corp.com', company: 'Acme Corp', website: 'https://acme-corp.com', phone: '+1 555 0100',
    message: 'We would like a demo for 40 seats', source: 'typeform',
    utm: { source: 'google', medium: 'cpc', campaign: 'spring', term: null, content: null },
    submitted_at: '2026-01-05T10:00:00Z', submitter_ip: '203.0.113.9', raw_answers: {}, ...over,
  };
}

export const classification: ClassifierResult = {
  classification: {
    intent: 'buying', fit_score: 88, fit_reasoning: 'Asks for a 40-seat demo; SaaS company.', confidence: 0.91,
    recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Acme Corp wants a 40-seat demo.',
  },
  classifier: 'offline', model: null, prompt_version: 'v1', usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  cost_usd: 0, latency_ms: 1, attempts: 1, failure: null, fallback_reason: null,
};

export function insertLead(db: Db, l: CanonicalLead = lead()): string {
  const id = `lead_${randomUUID().slice(0, 8)}`;
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
    VALUES (?, 'typeform', ?, ?, ?, ?, ?, 'received', ?, ?, ?)`).run(id, l.email, l.email.split('@')[1], l.submitter_ip, randomUUID(), JSON.stringify(l), `corr-${id}`, now, now);
  return id;
}

/** A store with one lead whose decision committed `actions` through the real transactional outbox. */
export function seed(actions: Action[], opts: { db?: Db; lead?: CanonicalLead; leadId?: string } = {}) {
  const db = opts.db ?? openDb(':memory:');
  const audit = new AuditLog(db);
  const leadId = opts.leadId ?? insertLead(db, opts.lead);
  const decision: Decision = {
    final_action: 'auto_route_sales', route: 'sales', priority: 'high', actions, held_actions: [],
    rules: [{ rule: 'fit_high', reason: 'fit 88 ≥ 85' }], needs_review: false, policy_hash: policy.hash,
  };
  const commit = commitDecision(db, audit, { lead_id: leadId, correlation_id: `corr-${leadId}`, decision, classification, enrichment: null });
  return { db, audit, leadId, decisionId: commit.decision_id };
}

export function outboxRows(db: Db) {
  return db.prepare('SELECT id, kind, status, attempts, next_attempt_at, last_error, result_json FROM outbox ORDER BY id').all() as Array<{
    id: number; kind: string; status: string; attempts: number; next_attempt_at: number; last_error: string | null; result_json: string | null;
  }>;
}
