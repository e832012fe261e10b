import type { Migration } from './index.ts';

export const core: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE inbound_events (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  received_at TEXT NOT NULL,
  remote_ip TEXT,
  raw_body TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  correlation_id TEXT NOT NULL
);
CREATE UNIQUE INDEX inbound_events_idem ON inbound_events (idempotency_key);

CREATE TABLE leads (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  email TEXT NOT NULL,
  email_domain TEXT NOT NULL,
  submitter_ip TEXT,
  content_hash TEXT NOT NULL,
  data_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'received',
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX leads_email ON leads (email);
CREATE INDEX leads_domain_time ON leads (email_domain, created_at);
CREATE INDEX leads_ip_time ON leads (submitter_ip, created_at);
CREATE INDEX leads_hash_time ON leads (content_hash, created_at);
CREATE INDEX leads_status ON leads (status);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  lead_id TEXT,
  payload_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','dead','parked')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_at);
CREATE INDEX jobs_lead ON jobs (lead_id);

-- Checkpoint of each stage's output for one run, so a job resumed after a crash does not redo finished stages.
CREATE TABLE stage_results (
  job_id INTEGER NOT NULL,
  stage TEXT NOT NULL,
  output_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (job_id, stage)
);

CREATE TABLE decisions (
  id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL REFERENCES leads(id),
  job_id INTEGER,
  version INTEGER NOT NULL,
  final_action TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('executed','pending_review','approved','rejected','superseded')),
  decision_json TEXT NOT NULL,
  classification_json TEXT,
  enrichment_json TEXT,
  human_json TEXT,
  classifier TEXT,
  policy_hash TEXT NOT NULL,
  prompt_version TEXT,
  decided_by TEXT,
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  UNIQUE (lead_id, version)
);
CREATE UNIQUE INDEX decisions_job ON decisions (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX decisions_status ON decisions (status);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  result_json TEXT,
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX outbox_ready ON outbox (status, next_attempt_at);
CREATE INDEX outbox_lead ON outbox (lead_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  lead_id TEXT,
  correlation_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  event TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT 'system',
  input_hash TEXT,
  output_json TEXT,
  decision TEXT,
  reason TEXT,
  policy_hash TEXT,
  prompt_version TEXT,
  latency_ms REAL,
  tokens_in INTEGER,
  tokens_out INTEGER,
  cache_read_tokens INTEGER,
  cache_write_tokens INTEGER,
  cost_usd REAL
);
CREATE INDEX audit_lead ON audit_log (lead_id, id);
CREATE INDEX audit_corr ON audit_log (correlation_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Runtime switches set from Slack (/triage pause) that override the policy file without editing it.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE enrichment_cache (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`,
};
