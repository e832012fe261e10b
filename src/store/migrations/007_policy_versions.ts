import type { Migration } from './index.ts';

export const policyVersions: Migration = {
  version: 7,
  name: 'policy_versions',
  sql: `
-- Every policy and prompt text that ever decided, by the hash decisions record (decisions.policy_hash; a prompt is
-- found by decisions.prompt_version = version). Written once: a hash names one text forever.
CREATE TABLE policy_versions (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('policy', 'prompt')),
  -- policy: its "version" label; prompt: its version (the prompt_version decisions carry).
  version TEXT NOT NULL,
  -- Where the text was read from: the policy file's path, the prompt's files.
  source TEXT NOT NULL,
  text TEXT NOT NULL,
  first_seen_at TEXT NOT NULL
);
CREATE INDEX policy_versions_kind_version ON policy_versions (kind, version);
CREATE TRIGGER policy_versions_no_update BEFORE UPDATE ON policy_versions
BEGIN SELECT RAISE(ABORT, 'policy_versions is written once'); END;

-- A candidate policy replayed over stored leads (lead-triage replay): the one row a replay writes, for /triage policy.
CREATE TABLE replays (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  candidate_hash TEXT NOT NULL,
  -- The --since window as given ("30d"), null for every stored lead.
  since TEXT,
  leads INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  summary_json TEXT NOT NULL
);
CREATE INDEX replays_at ON replays (at);
`,
};
