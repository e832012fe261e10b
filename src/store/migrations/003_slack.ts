import type { Migration } from './index.ts';

export const slack: Migration = {
  version: 3,
  name: 'slack',
  sql: `
-- Where each lead's cards live, so later state changes update them in place instead of re-posting.
CREATE TABLE slack_cards (
  lead_id TEXT NOT NULL,
  card TEXT NOT NULL CHECK (card IN ('lead','review')),
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  posted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (lead_id, card)
);

-- Who took the lead ("Take this lead" / Reassign); one owner per lead.
CREATE TABLE lead_claims (
  lead_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  first_claimed_at TEXT NOT NULL
);
CREATE INDEX lead_claims_user ON lead_claims (user_id);

-- Embedded default without a Slack token: every message we would have sent, kept for inspection.
CREATE TABLE slack_recorded (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  method TEXT NOT NULL,
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  body_json TEXT NOT NULL,
  at TEXT NOT NULL
);
`,
};
