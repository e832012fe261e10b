import type { Migration } from './index.ts';

/** The embedded CRM (used when no HubSpot token is set) and the locally recorded acknowledgement emails. */
export const crm: Migration = {
  version: 2,
  name: 'crm',
  sql: `
CREATE TABLE crm_contacts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  properties_json TEXT NOT NULL DEFAULT '{}',
  owner TEXT,
  lifecycle_stage TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE crm_companies (
  id TEXT PRIMARY KEY,
  domain TEXT NOT NULL UNIQUE,
  name TEXT,
  industry TEXT,
  employee_count INTEGER,
  country TEXT,
  description TEXT,
  lifecycle_stage TEXT,
  open_deals INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

-- dedupe_key makes a note/task created twice (retry, crash before bookkeeping) the same row.
CREATE TABLE crm_notes (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES crm_contacts(id),
  dedupe_key TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE crm_tasks (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES crm_contacts(id),
  dedupe_key TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  owner_hint TEXT,
  due_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  created_at TEXT NOT NULL
);

-- Every acknowledgement email, sent over SMTP or (without SMTP_URL) only recorded here.
CREATE TABLE email_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  to_address TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  transport TEXT NOT NULL CHECK (transport IN ('smtp', 'recorded')),
  status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'recorded')),
  message_id TEXT,
  created_at TEXT NOT NULL
);
`,
};
