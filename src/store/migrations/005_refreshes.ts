import type { Migration } from './index.ts';

export const refreshes: Migration = {
  version: 5,
  name: 'refreshes',
  sql: `
-- A reprocess of a lead a person already decided: the fresh reading is kept here beside the decision it
-- would have replaced, and nothing changes unless an approver applies it from the card.
CREATE TABLE lead_refreshes (
  id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL REFERENCES leads(id),
  job_id INTEGER NOT NULL UNIQUE,
  base_decision_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  -- The person's outcome that stood when the reprocess ran (kind, by, at).
  human_json TEXT NOT NULL,
  decision_json TEXT NOT NULL,
  classification_json TEXT,
  enrichment_json TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'superseded')),
  resolved_by TEXT,
  resolved_at TEXT,
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX lead_refreshes_lead ON lead_refreshes (lead_id, created_at);
`,
};
