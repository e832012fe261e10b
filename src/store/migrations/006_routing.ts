import type { Migration } from './index.ts';

export const routing: Migration = {
  version: 6,
  name: 'routing',
  sql: `
-- Who owns each lead and why: one row per assignment, the fairness ledger that round robin reads.
-- A lead's current assignment is its row with ended_at NULL; instants are epoch milliseconds.
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id TEXT NOT NULL REFERENCES leads(id),
  decision_id TEXT,
  user_id TEXT,
  queue TEXT NOT NULL,
  pool TEXT,
  via TEXT NOT NULL CHECK (via IN ('human', 'account_owner', 'round_robin', 'fallback')),
  rotation INTEGER NOT NULL CHECK (rotation IN (0, 1)),
  -- Reassigned away, or the lead was later rejected as spam: the assignment no longer counts toward shares or caps.
  credited INTEGER NOT NULL DEFAULT 0 CHECK (credited IN (0, 1)),
  credit_reason TEXT,
  -- Rises with every credit: the in-process copy of the ledger reads only what changed since it last looked.
  credit_seq INTEGER,
  reason TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  assigned_at INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_how TEXT,
  ended_at INTEGER,
  ended_reason TEXT
);
CREATE UNIQUE INDEX assignments_current ON assignments (lead_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_lead ON assignments (lead_id, id);
CREATE INDEX assignments_at ON assignments (assigned_at);
CREATE INDEX assignments_user ON assignments (user_id, ended_at);
CREATE INDEX assignments_credit_seq ON assignments (credit_seq) WHERE credit_seq IS NOT NULL;

-- When each member was first seen in a pool: a newcomer is calibrated to hold position, not flooded.
CREATE TABLE pool_members_seen (
  pool TEXT NOT NULL,
  user_id TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (pool, user_id)
);

-- Out of office, set with /triage ooo. until_at NULL: until switched off.
CREATE TABLE absences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  from_at INTEGER NOT NULL,
  until_at INTEGER,
  set_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX absences_user ON absences (user_id, from_at);

-- Each SLA ladder step that fired: the primary key makes a step fire once per assignment, whatever the sweep does.
CREATE TABLE sla_steps (
  assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  step INTEGER NOT NULL,
  lead_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('remind', 'reassign', 'escalate')),
  due_at INTEGER NOT NULL,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (assignment_id, step)
);
CREATE INDEX sla_steps_lead ON sla_steps (lead_id, kind);

-- The embedded CRM's company owner (a Slack user id), for account-owner routing.
ALTER TABLE crm_companies ADD COLUMN owner TEXT;
`,
};
