import type { Migration } from './index.ts';

export const shadow: Migration = {
  version: 8,
  name: 'shadow',
  sql: `
-- What the policy's shadow candidate would have decided for each lead the pipeline decided automatically, beside the
-- real decision (decision_id). Written in the real decision's transaction, never acted on: no outbox row points here.
-- One row per real decision, so a resumed job cannot write a second.
CREATE TABLE shadow_decisions (
  decision_id TEXT PRIMARY KEY REFERENCES decisions(id),
  lead_id TEXT NOT NULL REFERENCES leads(id),
  -- The candidate file's hash (as policy_hash is for the real one).
  shadow_hash TEXT NOT NULL,
  final_action TEXT NOT NULL,
  route TEXT,
  -- The shadow's rule hits [{rule, reason}], in order; the real ones are in decisions.decision_json.
  rules_json TEXT NOT NULL,
  -- The whole shadow Decision (priority, actions, held actions, needs_review), for a person comparing the two.
  decision_json TEXT NOT NULL,
  -- 1 when the shadow would have done the same with the lead: same final action, route and need for review.
  agrees INTEGER NOT NULL CHECK (agrees IN (0, 1)),
  -- Epoch milliseconds.
  created_at INTEGER NOT NULL
);
CREATE INDEX shadow_decisions_at ON shadow_decisions (created_at);
CREATE INDEX shadow_decisions_lead ON shadow_decisions (lead_id);
`,
};
