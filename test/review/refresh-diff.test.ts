import { describe, expect, it } from 'vitest';
import { refreshNote } from '../../blocks/refreshNote.ts';
import { limitViolations } from '../../blocks/limits.ts';
import type { Classification } from '../../src/core/classification.ts';
import type { Decision } from '../../src/core/decision.ts';
import { refreshDiff } from '../../src/review/refreshDiff.ts';

const decision = (over: Partial<Decision> = {}): Decision => ({
  final_action: 'auto_route_sales', route: 'sales', priority: 'high', actions: ['crm_upsert_contact'], held_actions: [],
  rules: [{ rule: 'fit_high', reason: 'fit 88' }], needs_review: false, policy_hash: 'h', ...over,
});
const model = (over: Partial<Classification> = {}): Classification => ({
  intent: 'buying', fit_score: 88, fit_reasoning: 'r', confidence: 0.91, recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 's', ...over,
});

describe('refreshDiff', () => {
  it('lists what changed, figure by figure, and the rules that start or stop firing', () => {
    const d = refreshDiff(
      { decision: decision(), classification: model() },
      { decision: decision({ final_action: 'human_review', route: null, needs_review: true, rules: [{ rule: 'spam_evidence', reason: 'pitch' }] }), classification: model({ intent: 'spam', confidence: 0.7, fit_score: 10, recommended_action: 'auto_reject_spam' }) },
    );
    expect(d.changes.map((c) => c.what)).toEqual(['model', 'final action', 'route', 'review']);
    expect(d.changes[0]).toEqual({ what: 'model', before: 'buying 0.91, fit 88, recommends auto_route_sales', after: 'spam 0.70, fit 10, recommends auto_reject_spam' });
    expect(d).toMatchObject({ rules_added: ['spam_evidence'], rules_removed: ['fit_high'], same_outcome: false });
  });

  it('an identical reading has no changes and the same outcome', () => {
    expect(refreshDiff({ decision: decision(), classification: model() }, { decision: decision(), classification: model() }))
      .toEqual({ changes: [], rules_added: [], rules_removed: [], same_outcome: true });
  });
});

describe('refreshNote', () => {
  it('says the outcome stands, offers Apply while open, escapes what it did not write, and fits Block Kit', () => {
    const diff = refreshDiff({ decision: decision(), classification: model() }, { decision: decision({ rules: [{ rule: '<!channel>', reason: 'x' }] }), classification: model() });
    const open = refreshNote({
      refreshId: 'r1', leadId: 'ld_1', requestedBy: 'cli', human: { kind: 'rejected', by: 'U0APPROVE1', at: '2026-11-30T10:00:00Z' }, diff,
      proposed: { final_action: 'auto_route_sales', route: 'sales' }, status: 'open', resolvedBy: null, resolvedAt: null,
    });
    const text = JSON.stringify(open.blocks);
    expect(text).toContain('The decision stands: *rejected* by <@U0APPROVE1>');
    expect(text).toContain('refresh_apply');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(limitViolations(open.blocks)).toEqual([]);
    const applied = refreshNote({
      refreshId: 'r1', leadId: 'ld_1', requestedBy: 'U0APPROVE2', human: { kind: 'rejected', by: 'U0APPROVE1', at: '2026-11-30T10:00:00Z' }, diff,
      proposed: { final_action: 'auto_route_sales', route: 'sales' }, status: 'applied', resolvedBy: 'U0APPROVE2', resolvedAt: '2026-11-30T11:00:00Z',
    });
    expect(JSON.stringify(applied.blocks)).not.toContain('refresh_apply');
    expect(JSON.stringify(applied.blocks)).toContain('Applied by <@U0APPROVE2>');
  });
});
