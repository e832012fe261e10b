import { describe, expect, it } from 'vitest';
import { createOfflineClassifier } from '../../src/classify/index.ts';
import type { Decision } from '../../src/core/decision.ts';
import { caseEnrichment, precheckAll } from '../../src/eval/context.ts';
import { parseDataset, type EvalCase } from '../../src/eval/dataset.ts';
import { isUnsafe } from '../../src/eval/harm.ts';
import { computeReport } from '../../src/eval/metrics.ts';
import { predictionsOf } from '../../src/eval/predictions.ts';
import { runEval, type EvalRun } from '../../src/eval/run.ts';
import { basePolicy, buyer, policyWith, result } from '../policy/fixtures.ts';

const line = (id: string, lead: object, expected: object, extra: object = {}) => JSON.stringify({ id, lead: { name: 'X', ...lead }, expected, ...extra });
const BUY = 'We are a 120-person SaaS company and would like a demo and pricing for 30 seats.';

describe('eval case format', () => {
  it('reads the richer fields and fills the defaults; the old format still parses', () => {
    const [rich, old] = parseDataset([
      line('r', { email: 'Dana@Northwind-SaaS.com', message: BUY, submitted_at: '2026-02-01T10:00:00+01:00', submitter_ip: '203.0.113.9', source: 'webflow' },
        { intent: 'buying', final_action: 'auto_route_sales', priority: 'high', acceptable_actions: ['human_review'] }, { facts: { employees: 120, industry: 'software', customer: true } }),
      line('o', { email: 'x@seo-rank.biz', message: 'Cheap SEO packages.' }, { intent: 'spam', final_action: 'auto_reject_spam' }),
    ].join('\n'));
    expect(rich!.lead).toMatchObject({ email: 'dana@northwind-saas.com', submitted_at: '2026-02-01T10:00:00+01:00', submitter_ip: '203.0.113.9', source: 'webflow' });
    expect(rich!.expected).toMatchObject({ priority: 'high', acceptable_actions: ['auto_route_sales', 'human_review'], must_not: ['auto_reject_spam'] });
    expect(old!.lead).toMatchObject({ source: 'eval', submitter_ip: null, submitted_at: '2026-01-05T09:00:00Z' });
    expect(old!.expected).toMatchObject({ acceptable_actions: ['auto_reject_spam'], must_not: ['auto_route_sales', 'auto_route_support'] });
  });

  it('turns facts into the enrichment the policy reads', () => {
    const [c] = parseDataset(line('f', { email: 'dana@northwind-saas.com', company: 'Northwind', message: BUY }, { intent: 'buying', final_action: 'auto_route_sales' }, { facts: { employees: 120, country: 'DE', known_contact: true } }));
    const e = caseEnrichment(c!.lead!, c!.facts);
    expect(e.company).toEqual({ name: 'Northwind', domain: 'northwind-saas.com', industry: null, employee_count: 120, country: 'DE', description: null, source: 'eval' });
    expect(e.crm_history).toEqual({ contact_exists: true, company_exists: true, existing_customer: false, open_deal: false, previous_spam: false, prior_leads: 0 });
    expect(caseEnrichment(c!.lead!, null)).toMatchObject({ company: null, crm_history: null });
    expect(caseEnrichment(c!.lead!, { customer: false }).company).toBeNull();
  });

  it('a malformed line still fails with its line number; a lead the intake refuses is a case', () => {
    expect(() => parseDataset(`${line('a', { email: 'a@b.com', message: 'm' }, { intent: 'unclear', final_action: 'human_review' })}\n{"id":"b"`, 'd.jsonl')).toThrow(/d\.jsonl:2: not valid JSON/);
    expect(() => parseDataset(line('a', { email: 'a@b.com', message: 'm' }, { intent: 'unclear', final_action: 'human_review', must_not: ['human_review'] }), 'd.jsonl')).toThrow(/d\.jsonl:1: expected\.must_not/);
    expect(() => parseDataset(line('a', { email: 'a@b.com', message: 'm' }, { intent: 'unclear', final_action: 'human_review' }, { facts: { employes: 3 } }), 'd.jsonl')).toThrow(/d\.jsonl:1: facts/);
    const [c] = parseDataset(line('bad', { email: 'not-an-email', message: 'hello there' }, { intent: 'unclear', final_action: 'refused' }));
    expect(c).toMatchObject({ lead: null, refused: expect.stringMatching(/^email: /) });
  });

  it('scores refusals, acceptable actions (and the strict figure) and lists every prediction', async () => {
    const cases = parseDataset([
      line('ok', { email: 'cto@northwind-saas.com', message: BUY }, { intent: 'buying', final_action: 'auto_route_sales', route: 'sales' }),
      line('alt', { email: 'cto@contoso-data.com', message: BUY }, { intent: 'buying', final_action: 'human_review', acceptable_actions: ['auto_route_sales'] }),
      line('ref', { email: 'nope', message: 'hello there' }, { intent: 'unclear', final_action: 'refused' }),
      line('ref-miss', { email: 'nope@', message: 'hello there' }, { intent: 'unclear', final_action: 'human_review' }),
    ].join('\n'));
    const rows = await runEval(cases, { classifier: createOfflineClassifier(), policy: basePolicy, policyHash: 'h' });
    const r = computeReport(rows, basePolicy);
    expect(rows.map((x) => x.runs.length)).toEqual([1, 1, 0, 0]);
    expect(r.refused).toEqual({ count: 2, expected: 1 });
    expect(r.accuracy).toMatchObject({ intent: 1, final_action: 0.75, final_action_strict: 0.5 });
    expect(r.misses.map((m) => m.id)).toEqual(['ref-miss']);
    expect(r.confusion.final_action.refused).toEqual({ refused: 1 });
    const p = predictionsOf(rows);
    expect(p.map((x) => x.id)).toEqual(['ok', 'alt', 'ref', 'ref-miss']);
    expect(p[0]).toMatchObject({ intent: 'buying', final_action: 'auto_route_sales', route: 'sales', rules: expect.any(Array) });
    expect(p[2]).toMatchObject({ final_action: 'refused', refused: expect.stringMatching(/email/) });
  });

  it('runs the real precheck with rate-limit counts from earlier cases in the window', () => {
    const policy = policyWith((p) => { p.rate_limits.per_ip = { max: 2, window_minutes: 10 }; });
    const at = (id: string, t: string, ip = '198.51.100.7') => line(id, { email: `${id}@mail-${id}.com`, message: BUY, submitted_at: t, submitter_ip: ip }, { intent: 'buying', final_action: 'auto_route_sales' });
    const cases = parseDataset([
      at('a', '2026-01-05T09:00:00Z'), at('b', '2026-01-05T09:05:00Z'), at('c', '2026-01-05T09:09:00Z'),
      at('d', '2026-01-05T09:30:00Z'), at('e', '2026-01-05T09:09:00Z', '192.0.2.1'),
      line('x', { email: 'bad', message: 'm' }, { intent: 'unclear', final_action: 'refused' }),
    ].join('\n'));
    const pre = precheckAll(cases, policy);
    expect(pre.map((p) => p?.verdict ?? null)).toEqual(['continue', 'continue', 'hold', 'continue', 'continue', null]);
    expect(pre[2]!.rules.map((r) => r.rule)).toEqual(['rate_limit_ip']);
  });

  it('unsafe also counts an automatic action in must_not and an automatic reject of a known contact', () => {
    const [c] = parseDataset(line('k', { email: 'dana@northwind-saas.com', message: BUY }, { intent: 'spam', final_action: 'human_review', must_not: ['auto_reject_spam'] }, { facts: { customer: true } }));
    const run = (final_action: Decision['final_action']): EvalRun => ({ result: result(buyer), decision: { final_action, route: null, priority: 'low', actions: [], held_actions: [], rules: [], needs_review: false, policy_hash: 'h' } });
    expect(isUnsafe(c!, run('auto_reject_spam'), basePolicy)).toBe(true);
    expect(isUnsafe(c!, run('human_review'), basePolicy)).toBe(false);
    const known: EvalCase = { ...c!, expected: { ...c!.expected, must_not: [] } };
    expect(isUnsafe(known, run('auto_reject_spam'), basePolicy)).toBe(true);
    expect(isUnsafe({ ...known, facts: null }, run('auto_reject_spam'), basePolicy)).toBe(false);
  });
});
