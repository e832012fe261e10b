import { describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.ts';
import { basePolicy, buyer, enrichmentFor, input, lead, policyWith, result, ruleNames } from './fixtures.ts';

const ackNeedsApproval = policyWith((p) => { p.constraints.require_approval = ['send_ack_email', 'reject_lead']; });

describe('decide: automatic paths', () => {
  it('routes a confident corporate buyer to sales and runs every allowed action', () => {
    const d = decide(input());
    expect(d.final_action).toBe('auto_route_sales');
    expect(d.route).toBe('sales');
    expect(d.actions).toEqual(['crm_upsert_contact', 'crm_add_note', 'crm_create_task', 'slack_post_lead', 'assign_owner', 'send_ack_email']);
    expect(d.held_actions).toEqual([]);
    expect(d.needs_review).toBe(false);
  });

  it('routes a confident corporate buyer to sales and holds the approval-listed ack email', () => {
    const d = decide(input({ policy: ackNeedsApproval }));
    expect(d.final_action).toBe('auto_route_sales');
    expect(d.route).toBe('sales');
    expect(d.actions).toEqual(['crm_upsert_contact', 'crm_add_note', 'crm_create_task', 'slack_post_lead', 'assign_owner']);
    expect(d.held_actions).toEqual(['send_ack_email']);
    expect(d.needs_review).toBe(true);
    expect(d.policy_hash).toBe('hash-1');
    expect(ruleNames(d)).toEqual(['approval_required']);
  });

  it('omits the ack email when the policy disables it and then needs no review', () => {
    const d = decide(input({ policy: policyWith((p) => { p.email.ack_enabled = false; p.constraints.require_approval = ['send_ack_email']; }) }));
    expect(d.held_actions).toEqual([]);
    expect(d.needs_review).toBe(false);
  });

  it('routes support to support', () => {
    const d = decide(input({ c: { ...buyer, intent: 'support', recommended_action: 'auto_route_support', assigned_to: 'support' } }));
    expect(d.final_action).toBe('auto_route_support');
    expect(d.route).toBe('support');
  });

  it('rejects spam with reject_lead (both keys read spam), held when the policy wants approval', () => {
    const spam = { ...buyer, intent: 'spam' as const, fit_score: 5, recommended_action: 'auto_reject_spam' as const, assigned_to: null, priority: 'low' as const };
    const pitch = lead({ email: 'sales@rankfast-seo.com', company: 'RankFast', message: 'We offer cheap SEO and link building packages, guaranteed first page rankings. Packages from $99/month.' });
    expect(decide(input({ c: spam, lead: pitch }))).toMatchObject({ final_action: 'auto_reject_spam', actions: [], held_actions: ['reject_lead'], route: null });
    const open = policyWith((p) => { p.constraints.require_approval = []; });
    expect(decide(input({ c: spam, lead: pitch, policy: open }))).toMatchObject({ actions: ['reject_lead'], needs_review: false });
  });

  it('is deterministic', () => {
    expect(decide(input())).toEqual(decide(input()));
  });
});

describe('decide: review paths', () => {
  it('sends a failed classification to review with the reason', () => {
    const d = decide(input({ classification: result(null, { failure: 'schema_validation_failed' }) }));
    expect(d.final_action).toBe('human_review');
    expect(d.rules[0]).toEqual({ rule: 'classifier_failed', reason: 'schema_validation_failed' });
    expect(d.actions).toEqual([]);
  });

  it('records which classifier answered when it was a fallback', () => {
    const d = decide(input({ classification: result(buyer, { fallback_reason: 'breaker_open' }) }));
    expect(d.rules[0]?.rule).toBe('classifier_fallback');
    expect(d.rules[0]?.reason).toContain('breaker_open');
    const embedded = decide(input({ classification: result(buyer, { fallback_reason: 'no_api_key' }) }));
    expect(embedded.rules[0]).toEqual({ rule: 'classifier_mode', reason: 'read by the embedded offline classifier (no ANTHROPIC_API_KEY set)' });
  });

  it('holds a review lead with the actions approval would run', () => {
    const d = decide(input({ c: { ...buyer, confidence: 0.5 } }));
    expect(d.final_action).toBe('human_review');
    expect(d.actions).toEqual([]);
    expect(d.held_actions).toEqual(['crm_upsert_contact', 'crm_add_note', 'crm_create_task', 'slack_post_lead', 'assign_owner', 'send_ack_email']);
    expect(d.route).toBe('sales');
  });

  it('precheck hold → review; precheck reject → reject, never routed', () => {
    const hold = decide(input({ precheck: { verdict: 'hold', rules: [{ rule: 'rate_limit_ip', reason: 'too many' }] } }));
    expect(hold.final_action).toBe('human_review');
    expect(ruleNames(hold)).toContain('precheck_hold');
    const rej = decide(input({ precheck: { verdict: 'reject', rules: [{ rule: 'blocklist', reason: 'blocked domain' }] } }));
    expect(rej.final_action).toBe('auto_reject_spam');
    expect(rej.actions).not.toContain('slack_post_lead');
    expect(rej.held_actions).toEqual(['reject_lead']);
  });

  it('the kill switch holds everything', () => {
    const d = decide(input({ killSwitch: true, policy: policyWith((p) => { p.constraints.require_approval = []; }) }));
    expect(d.final_action).toBe('hold');
    expect(d.actions).toEqual([]);
    expect(d.held_actions).toHaveLength(6);
    expect(ruleNames(d)).toContain('kill_switch');
  });
});

describe('decide: human input', () => {
  const free = lead({ email: 'dana.reyes@gmail.com' });
  const reviewInput = { lead: free, enrichment: enrichmentFor(free.email) };

  it('approve runs the held actions of a review lead, bypassing the approval list but not forbidden actions', () => {
    const policy = policyWith((p) => { p.constraints.forbidden_actions = ['send_ack_email']; });
    const d = decide(input({ ...reviewInput, policy, human: { kind: 'approve', user_id: 'U0APPROVE1', reason: null, override: null } }));
    expect(d.final_action).toBe('auto_route_sales');
    expect(d.actions).toEqual(['crm_upsert_contact', 'crm_add_note', 'crm_create_task', 'slack_post_lead', 'assign_owner']);
    expect(d.actions).not.toContain('send_ack_email');
    expect(d.needs_review).toBe(false);
    expect(ruleNames(d)).toContain('human_approved');
  });

  it('approve of an auto-routed lead runs only what was held (the ack email)', () => {
    const d = decide(input({ policy: ackNeedsApproval, human: { kind: 'approve', user_id: 'U0APPROVE1', reason: null, override: null } }));
    expect(d.actions).toEqual(['send_ack_email']);
  });

  it('approve under the kill switch still holds', () => {
    const d = decide(input({ ...reviewInput, killSwitch: true, human: { kind: 'approve', user_id: 'U0APPROVE1', reason: null, override: null } }));
    expect(d.final_action).toBe('hold');
    expect(d.actions).toEqual([]);
  });

  it('reject resolves the review with reject_lead, not as spam', () => {
    const d = decide(input({ ...reviewInput, human: { kind: 'reject', user_id: 'U0APPROVE1', reason: 'not a fit', override: null } }));
    expect(d).toMatchObject({ final_action: 'human_review', actions: ['reject_lead'], held_actions: [], needs_review: false, route: null });
    expect(d.rules[0]).toEqual({ rule: 'human_rejected', reason: 'rejected by U0APPROVE1: not a fit' });
  });

  it('edit applies the override; confidence rules step aside, consistency still applies', () => {
    const c = { ...buyer, confidence: 0.3, intent: 'unclear' as const, recommended_action: 'human_review' as const, assigned_to: null };
    const d = decide(input({ ...reviewInput, c, human: { kind: 'edit', user_id: 'U0APPROVE1', reason: null, override: { intent: 'support', route: 'support', priority: 'high' } } }));
    expect(d).toMatchObject({ final_action: 'auto_route_support', route: 'support', priority: 'high', needs_review: false });
    expect(d.actions).toContain('send_ack_email');
    const bad = decide(input({ c, human: { kind: 'edit', user_id: 'U0APPROVE1', reason: null, override: { intent: 'support', route: 'sales' } } }));
    expect(bad.final_action).toBe('human_review');
    expect(ruleNames(bad)).toContain('inconsistent_intent_action');
  });

  it('claim leaves the decision as it was and records the claim', () => {
    const plain = decide(input());
    const claimed = decide(input({ human: { kind: 'claim', user_id: 'U0SALES001', reason: null, override: null } }));
    expect(claimed.final_action).toBe(plain.final_action);
    expect(claimed.actions).toEqual(plain.actions);
    expect(ruleNames(claimed)).toContain('human_claimed');
  });

  it('uses the policy hash given, whatever the policy', () => {
    expect(decide(input({ policy: basePolicy, policyHash: 'abc' })).policy_hash).toBe('abc');
  });
});
