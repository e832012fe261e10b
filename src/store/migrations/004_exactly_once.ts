import type { Migration } from './index.ts';

export const exactlyOnce: Migration = {
  version: 4,
  name: 'exactly_once',
  sql: `
-- The claim that owns a running effect (dispatcher id); with attempts it tells a stalled lane from the one that took over.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;

-- Each call an effect makes that the vendor cannot make idempotent (a HubSpot note, a Slack post): marked before
-- the call, given its result after. A mark without a result is a call whose outcome is unknown (timeout, dropped
-- connection, process killed mid-call): the next attempt looks for what it did instead of calling again. Rows
-- go when the effect is done.
CREATE TABLE effect_calls (
  dedupe_key TEXT NOT NULL,
  call TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  result_json TEXT,
  PRIMARY KEY (dedupe_key, call)
);
`,
};
