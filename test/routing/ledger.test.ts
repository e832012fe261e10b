import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.ts';
import { commitDecision } from '../../src/pipeline/commit.ts';
import { currentAssignment, loadRoutingState, recordAssignment } from '../../src/routing/ledger.ts';
import type { Assignment } from '../../src/routing/assign.ts';
import { openDb } from '../../src/store/db.ts';
import { sampleClassification, sampleLead, seedLead, startHarness, type Harness } from '../slack/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ recorded: true });
  h.clock.set('2026-12-01T15:00:00Z'); // Ana and Ben both at work
});
afterEach(async () => {
  await h.close();
});

const routed = () => seedLead(h, sampleLead({ email: `b${Math.random().toString(36).slice(2)}@helix.example` }), sampleClassification({ confidence: 0.92, fit_score: 80 })).leadId;
const ledger = () => loadRoutingState(h.db, h.loaded.policy, h.clock.now()).entries.map((e) => `${e.user}${e.credited ? ' credited' : ''}`);

describe('the fairness ledger as routing reads it', () => {
  it('sees each new assignment and each credit, read incrementally from the same database', () => {
    const first = routed();
    routed();
    expect(ledger()).toEqual(['U0SALES001', 'U0SALES002']);
    const third = routed();
    expect(ledger()).toEqual(['U0SALES001', 'U0SALES002', 'U0SALES001']);

    // A lead later rejected gives its slot back, whoever held it.
    const lead = h.leads.get(first)!.lead;
    const rejection = decide({
      lead, enrichment: null as never, classification: sampleClassification({ intent: 'spam', recommended_action: 'auto_reject_spam', assigned_to: null, fit_score: 0, confidence: 1 }),
      policy: { ...h.loaded.policy, constraints: { ...h.loaded.policy.constraints, require_approval: [] } }, policyHash: 'h', precheck: { verdict: 'reject', rules: [] }, killSwitch: false,
    });
    commitDecision(h.db, h.audit, { lead_id: first, correlation_id: 'c', decision: rejection, classification: null, enrichment: null, routing: { policy: h.loaded.policy, lead, now: h.clock.now() } });
    expect(h.leads.get(first)!.status).toBe('rejected');
    expect(ledger()).toEqual(['U0SALES001 credited', 'U0SALES002', 'U0SALES001']);
    expect(h.audit.trail(first).some((r) => r.event === 'assignment_credited')).toBe(true);

    // A move away credits the earlier holder too.
    const moved: Assignment = { user: 'U0SALES002', queue: 'sales', pool: 'ae', via: 'human', rule: null, rotation: true, reason: 'test', candidates: [], alert: null };
    h.db.transaction(() => recordAssignment(h.db, { leadId: third, decisionId: null, assignment: moved, now: h.clock.now(), endReason: 'moved', credit: 'moved' }))();
    expect(ledger()).toEqual(['U0SALES001 credited', 'U0SALES002', 'U0SALES001 credited', 'U0SALES002']);
    expect(currentAssignment(h.db, third)?.user_id).toBe('U0SALES002');
  });

  it('a second connection (another process on the same file) sees what the first wrote and credited', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-ledger-'));
    const path = join(dir, 'ledger.sqlite');
    const a = openDb(path);
    const b = openDb(path);
    try {
      a.prepare(`INSERT INTO leads (id, provider, email, email_domain, submitter_ip, content_hash, data_json, status, correlation_id, created_at, updated_at)
        VALUES ('l1', 'generic', 'x@y.example', 'y.example', NULL, 'h', '{}', 'routed', 'c', '', '')`).run();
      const read = (db: typeof a) => loadRoutingState(db, h.loaded.policy, h.clock.now()).entries.map((e) => `${e.user}${e.credited ? ' credited' : ''}`);
      expect(read(b)).toEqual([]);
      const one: Assignment = { user: 'U0SALES001', queue: 'sales', pool: 'ae', via: 'round_robin', rule: null, rotation: true, reason: 'test', candidates: [], alert: null };
      a.transaction(() => recordAssignment(a, { leadId: 'l1', decisionId: null, assignment: one, now: h.clock.now(), endReason: 'x' }))();
      expect(read(b)).toEqual(['U0SALES001']);
      a.transaction(() => recordAssignment(a, { leadId: 'l1', decisionId: null, assignment: { ...one, user: 'U0SALES002' }, now: h.clock.now(), endReason: 'x', credit: 'moved' }))();
      expect(read(b)).toEqual(['U0SALES001 credited', 'U0SALES002']);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
