import { erasedCard, type ErasureWhy } from '../../blocks/erasedCard.ts';
import { DecisionSchema, HumanInputSchema } from '../core/decision.ts';
import type { AuditLog } from '../store/audit.ts';
import { ERASED } from '../store/auditSeal.ts';
import type { Db } from '../store/db.ts';

export type { ErasureWhy };

/** A message posted about the lead, to be replaced in place by the erased card. */
export interface SlackPlace { channel: string; ts: string }

export interface ErasureResult {
  lead_id: string;
  /** False when the lead was already erased; the pass still ran (it is idempotent) but found it done. */
  first: boolean;
  places: SlackPlace[];
}

/** Where the lead was posted in Slack: the post index, its cards, and what its Slack effects recorded. */
export function slackPlaces(db: Db, leadId: string): SlackPlace[] {
  const places = new Map<string, SlackPlace>();
  const add = (channel: unknown, ts: unknown) => {
    if (typeof channel === 'string' && typeof ts === 'string' && channel && ts) places.set(`${channel} ${ts}`, { channel, ts });
  };
  for (const r of db.prepare('SELECT channel, ts FROM slack_posts WHERE lead_id = ? UNION SELECT channel, ts FROM slack_cards WHERE lead_id = ?')
    .all(leadId, leadId) as SlackPlace[]) add(r.channel, r.ts);
  // Posts made before the index existed: their effects kept where they went.
  for (const json of db.prepare("SELECT result_json FROM outbox WHERE lead_id = ? AND kind LIKE 'slack_%' AND result_json IS NOT NULL")
    .pluck().all(leadId) as string[]) {
    const r = JSON.parse(json) as Record<string, unknown>;
    add(r.channel, r.ts);
  }
  return [...places.values()];
}

/** A stored decision with every word that came from the lead or a person taken out; actions, rule ids and figures kept. */
function redactDecisionJson(json: string): string {
  const parsed = DecisionSchema.safeParse(JSON.parse(json));
  if (!parsed.success) return JSON.stringify({ erased: true });
  const { readings: _readings, ...d } = parsed.data;
  return JSON.stringify({ ...d, rules: d.rules.map((r) => ({ rule: r.rule, reason: ERASED })) });
}

function redactHumanJson(json: string | null): string | null {
  if (json === null) return null;
  const parsed = HumanInputSchema.safeParse(JSON.parse(json));
  return parsed.success ? JSON.stringify({ ...parsed.data, reason: null }) : null;
}

function redactRules(json: string): string {
  const rules = JSON.parse(json) as Array<{ rule?: unknown }>;
  return JSON.stringify(Array.isArray(rules) ? rules.map((r) => ({ rule: String(r.rule), reason: ERASED })) : []);
}

/** A replay's stored summary with the lead's line left as ids and actions only. */
function redactReplay(json: string, leadId: string): string {
  const summary = JSON.parse(json) as { changed_leads?: Array<Record<string, unknown>> };
  summary.changed_leads = summary.changed_leads?.map((c) => (c.lead_id === leadId
    ? { ...c, email: '', notes: [], rules_added: Array.isArray(c.rules_added) ? c.rules_added.map((h: { rule?: unknown }) => ({ rule: String(h.rule), reason: ERASED })) : [] }
    : c));
  return JSON.stringify(summary);
}

/**
 * Forgets one lead everywhere the store keeps it, in one transaction; run again, it finds nothing left to forget.
 * What stays is what has no person in it: ids, statuses, rule ids, actions, timestamps, figures, and the audit rows
 * whose sealed fields die with the lead's key. The caller checkpoints the WAL afterwards (see checkpointWal).
 */
export function eraseLead(db: Db, audit: AuditLog, leadId: string, o: { why: ErasureWhy; by: string; emailHash: string; now?: number }): ErasureResult {
  const now = o.now ?? Date.now();
  const iso = new Date(now).toISOString();
  return db.transaction((): ErasureResult => {
    const lead = db.prepare('SELECT email, status, correlation_id FROM leads WHERE id = ?').get(leadId) as { email: string; status: string; correlation_id: string } | undefined;
    if (!lead) return { lead_id: leadId, first: false, places: [] };
    const first = lead.status !== 'erased';
    const places = slackPlaces(db, leadId);
    const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

    // Slack as recorded locally (no token): the messages themselves become the erased card.
    const erased = JSON.stringify(erasedCard({ leadId, why: o.why, on: iso.slice(0, 10) }));
    run(`UPDATE slack_recorded SET body_json = ? WHERE json_extract(body_json, '$.metadata.event_payload.lead_id') = ?
      OR (channel, ts) IN (SELECT channel, ts FROM slack_posts WHERE lead_id = ?)`, erased, leadId, leadId);
    // The embedded CRM is this store: its contact goes when no other lead of the address is left.
    if (lead.email) {
      const others = db.prepare("SELECT COUNT(*) FROM leads WHERE email = ? AND id != ? AND status != 'erased'").pluck().get(lead.email, leadId) as number;
      // instr, not LIKE: a lead id's underscore is a LIKE wildcard.
      run('DELETE FROM crm_notes WHERE instr(dedupe_key, ?) > 0', leadId);
      run('DELETE FROM crm_tasks WHERE instr(dedupe_key, ?) > 0', leadId);
      if (others === 0) {
        const contact = 'SELECT id FROM crm_contacts WHERE email = ?';
        run(`DELETE FROM crm_notes WHERE contact_id IN (${contact})`, lead.email);
        run(`DELETE FROM crm_tasks WHERE contact_id IN (${contact})`, lead.email);
        run('DELETE FROM crm_contacts WHERE email = ?', lead.email);
        run("DELETE FROM enrichment_cache WHERE instr(key, ':contact:') > 0 AND substr(key, instr(key, ':contact:') + 9) = ?", lead.email);
      }
    }
    run(`UPDATE leads SET email = '', email_domain = '', submitter_ip = NULL, content_hash = '', data_json = '{}', status = 'erased', updated_at = ?
      WHERE id = ?`, iso, leadId);
    run("UPDATE inbound_events SET raw_body = '', remote_ip = NULL WHERE lead_id = ?", leadId);
    run('DELETE FROM stage_results WHERE job_id IN (SELECT id FROM jobs WHERE lead_id = ?)', leadId);
    // Work still waiting for the lead stops; the erasure's own job is left to its worker.
    run(`UPDATE jobs SET payload_json = '{}', lease_owner = NULL, lease_until = NULL, updated_at = ?,
        last_error = CASE WHEN status IN ('queued', 'running', 'parked') THEN 'lead erased' END,
        status = CASE WHEN status IN ('queued', 'running', 'parked') THEN 'dead' ELSE status END
      WHERE lead_id = ? AND kind != 'erase_lead'`, iso, leadId);
    for (const d of db.prepare('SELECT id, decision_json, human_json FROM decisions WHERE lead_id = ?').all(leadId) as Array<{ id: string; decision_json: string; human_json: string | null }>) {
      run(`UPDATE decisions SET decision_json = ?, human_json = ?, classification_json = NULL, enrichment_json = NULL,
          status = CASE status WHEN 'pending_review' THEN 'superseded' ELSE status END, resolved_at = coalesce(resolved_at, ?) WHERE id = ?`,
      redactDecisionJson(d.decision_json), redactHumanJson(d.human_json), iso, d.id);
    }
    for (const r of db.prepare('SELECT id, decision_json, human_json FROM lead_refreshes WHERE lead_id = ?').all(leadId) as Array<{ id: string; decision_json: string; human_json: string }>) {
      run(`UPDATE lead_refreshes SET decision_json = ?, human_json = ?, classification_json = NULL, enrichment_json = NULL,
          status = CASE status WHEN 'open' THEN 'superseded' ELSE status END WHERE id = ?`,
      redactDecisionJson(r.decision_json), redactHumanJson(r.human_json) ?? '{}', r.id);
    }
    for (const s of db.prepare('SELECT decision_id, decision_json, rules_json FROM shadow_decisions WHERE lead_id = ?').all(leadId) as Array<{ decision_id: string; decision_json: string; rules_json: string }>) {
      run('UPDATE shadow_decisions SET decision_json = ?, rules_json = ? WHERE decision_id = ?', redactDecisionJson(s.decision_json), redactRules(s.rules_json), s.decision_id);
    }
    run("DELETE FROM effect_calls WHERE dedupe_key IN (SELECT dedupe_key FROM outbox WHERE lead_id = ? AND kind != 'slack_redact')", leadId);
    run(`UPDATE outbox SET payload_json = '{}', result_json = NULL, lease_owner = NULL, updated_at = ?,
        last_error = CASE WHEN status IN ('pending', 'running') THEN 'lead erased' END,
        status = CASE WHEN status IN ('pending', 'running') THEN 'dead' ELSE status END
      WHERE lead_id = ? AND kind != 'slack_redact'`, iso, leadId);
    run("UPDATE email_messages SET to_address = '', subject = '', text_body = '' WHERE lead_id = ?", leadId);
    run(`UPDATE assignments SET reason = ?, detail_json = '{}', ended_at = coalesce(ended_at, ?), ended_reason = coalesce(ended_reason, 'erased')
      WHERE lead_id = ?`, ERASED, now, leadId);
    run('DELETE FROM lead_claims WHERE lead_id = ?', leadId);
    for (const r of db.prepare("SELECT id, summary_json FROM replays WHERE instr(summary_json, ?) > 0").all(leadId) as Array<{ id: string; summary_json: string }>) {
      run('UPDATE replays SET summary_json = ? WHERE id = ?', redactReplay(r.summary_json, leadId), r.id);
    }
    audit.seal.shred(leadId, iso);
    if (first) {
      audit.record({ lead_id: leadId, correlation_id: lead.correlation_id, stage: 'privacy', event: 'erased', actor: o.by, decision: o.why, input_hash: o.emailHash });
    }
    return { lead_id: leadId, first, places };
  })();
}

/**
 * Moves every committed page into the database file and empties the WAL, so the erased bytes are neither in an
 * old WAL frame nor (secure_delete) in a freed page. False while a reader still holds an older snapshot.
 */
export function checkpointWal(db: Db): boolean {
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  return !r || r.busy === 0;
}
