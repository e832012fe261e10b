import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evalCli } from './cli.ts';
import { createOfflineClassifier } from '../../src/classify/index.ts';
import { ZERO_USAGE } from '../../src/core/classification.ts';
import { parseDataset } from '../../src/eval/dataset.ts';
import { computeReport, percentile } from '../../src/eval/metrics.ts';
import { runEval } from '../../src/eval/run.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import type { Classifier } from '../../src/pipeline/stages.ts';
import { basePolicy, buyer } from '../policy/fixtures.ts';

const line = (id: string, email: string, message: string, expected: object) => JSON.stringify({ id, lead: { name: 'X', email, message }, expected });
const DATASET = [
  line('a', 'cto@northwind-saas.com', 'We are a 120-person SaaS company and would like a demo and pricing for 30 seats.', { intent: 'buying', final_action: 'auto_route_sales', route: 'sales' }),
  line('b', 'ops@northwind-saas.com', 'Our dashboard stopped updating and the export fails with an error since Monday.', { intent: 'support', final_action: 'auto_route_support', route: 'support' }),
  line('c', 'x@rankboost-seo.com', 'We offer cheap SEO and link building packages, guaranteed first page rankings.', { intent: 'spam', final_action: 'auto_reject_spam' }),
  line('d', 'someone@gmail.com', 'hi', { intent: 'unclear', final_action: 'human_review' }),
].join('\n');

/** A classifier that always claims a confident buyer: the harness must count what that does. */
const alwaysBuyer: Classifier = {
  name: 'claude',
  async classify() {
    return { classification: buyer, classifier: 'claude', model: 'claude-haiku-4-5', prompt_version: 'test', usage: ZERO_USAGE, cost_usd: 0.002, latency_ms: 1, attempts: 1, failure: null, fallback_reason: null };
  },
};

describe('eval harness', () => {
  it('parses the dataset into canonical leads and rejects a bad line with its number', () => {
    const cases = parseDataset(DATASET);
    expect(cases).toHaveLength(4);
    expect(cases[0]!.lead).toMatchObject({ source: 'eval', company: null, email: 'cto@northwind-saas.com' });
    expect(() => parseDataset(`${DATASET}\n{"id":"e","lead":{"email":"x@y.com","message":"m"},"expected":{"intent":"maybe","final_action":"hold"}}`, 'd.jsonl')).toThrow(/d\.jsonl:5: expected\.intent/);
  });

  it('computes accuracy, confusion, rates and unsafe actions with the offline classifier', async () => {
    const rows = await runEval(parseDataset(DATASET), { classifier: createOfflineClassifier(), policy: basePolicy, policyHash: 'h' });
    const r = computeReport(rows, basePolicy);
    expect(r.total).toBe(4);
    expect(r.accuracy).toEqual({ intent: 1, final_action: 1, final_action_strict: 1, route: 1 });
    expect(r.confusion.intent).toEqual({ buying: { buying: 1 }, support: { support: 1 }, spam: { spam: 1 }, unclear: { unclear: 1 } });
    expect(r.automatic_rate).toBe(0.75);
    expect(r.review_rate).toBe(0.25);
    // The unclear lead is reviewed; the spam's reject_lead is on the approval list, so it waits for a human too.
    expect(r.needs_human_rate).toBe(0.5);
    expect(r.unsafe.count).toBe(0);
    expect(r.cost_per_lead_usd).toBe(0);
    expect(r.ideal_review_rate).toBe(0.25);
    expect(r.excess_review).toBe(0);
    expect(r.misses).toEqual([]);
  });

  it('counts routing spam, a disqualified lead or a free-mail guess as unsafe only when it is automatic', async () => {
    const cases = parseDataset(DATASET);
    const rows = await runEval(cases, { classifier: alwaysBuyer, policy: basePolicy, policyHash: 'h' });
    const r = computeReport(rows, basePolicy);
    // The guardrails stop the SEO pitch (a disqualifier) and "hi" (short, free-mail) from routing, so nothing unsafe happens.
    expect(r.unsafe.count).toBe(0);
    expect(rows.find((x) => x.case.id === 'c')!.runs[0]!.decision.final_action).toBe('human_review');
    // The support request the model calls a buyer is not routed to sales: the rules read a customer's problem.
    expect(r.confusion.final_action.auto_route_support).toEqual({ human_review: 1 });
    expect(r.cost_per_lead_usd).toBeCloseTo(0.002, 10);
    // The spam (labelled for automatic rejection) and the support request (labelled for support) went to review.
    expect(r.excess_review).toBe(2);
    expect(r.misses.find((m) => m.id === 'c')).toMatchObject({ expected: { intent: 'spam', final_action: 'auto_reject_spam' }, actual: { intent: 'buying', final_action: 'human_review', confidence: buyer.confidence } });
    expect(r.misses.find((m) => m.id === 'c')!.rules.length).toBeGreaterThan(0);
    const open = { ...basePolicy, icp: { ...basePolicy.icp, disqualifiers: [] } };
    // A pitch the model calls a buyer is held by the second key now; a case both keys read as a buyer but labelled spam still counts.
    const spammy = parseDataset(line('s', 'sales@pitchco.com', 'We offer outsourcing, please reply for a demo of our team.', { intent: 'spam', final_action: 'auto_reject_spam' }));
    expect(computeReport(await runEval(spammy, { classifier: alwaysBuyer, policy: open, policyHash: 'h' }), open).unsafe.count).toBe(0);
    const mislabelled = parseDataset(line('m', 'cto@northwind-saas.com', 'We are a 120-person SaaS company and would like a demo and pricing for 30 seats.', { intent: 'spam', final_action: 'auto_reject_spam' }));
    const unsafe = computeReport(await runEval(mislabelled, { classifier: alwaysBuyer, policy: open, policyHash: 'h' }), open);
    expect(unsafe.unsafe).toEqual({ count: 1, ids: ['m'] });
  });

  it('the shipped datasets, held-out sets included, get no unsafe automatic action from the offline classifier', async () => {
    const { policy, hash } = loadPolicy('data/policy.json');
    for (const file of ['data/eval/leads.jsonl', 'data/eval/holdout.jsonl', 'data/eval/holdout2.jsonl']) {
      const r = computeReport(await runEval(parseDataset(readFileSync(file, 'utf8'), file), { classifier: createOfflineClassifier(), policy, policyHash: hash }), policy);
      expect({ file, unsafe: r.unsafe.ids }).toEqual({ file, unsafe: [] });
      expect(r.accuracy.intent).toBeGreaterThan(0.7);
    }
  });

  it('percentiles are nearest-rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95)).toBe(19);
    expect(percentile([], 95)).toBe(0);
  });

  it('the eval command prints the report and gates CI with --min-accuracy / --max-unsafe', async () => {
    const { file, out, err, run, rewrite } = evalCli(DATASET);
    expect(await run([file, '--min-accuracy', '0.9', '--max-unsafe', '0'])).toBe(0);
    expect(out.join('\n')).toContain('accuracy  intent 100.0%');
    out.length = 0;
    expect(await run([file, '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ total: 4, unsafe: { count: 0 }, classifiers: { offline: 4 } });
    rewrite(`${DATASET}\n${line('z', 'cto@northwind-saas.com', 'We want a demo and pricing for 30 seats, 120 employees.', { intent: 'spam', final_action: 'auto_reject_spam' })}`);
    expect(await run([file, '--min-accuracy', '0.9', '--max-unsafe', '0'])).toBe(1);
    expect(err.join('\n')).toMatch(/intent accuracy 0\.800 < 0\.9[\s\S]*unsafe automatic actions 1 > 0/);
    out.length = 0;
    err.length = 0;
    expect(await run([file, '--misses', '--max-review-rate', '0.1'])).toBe(1);
    expect(out.join('\n')).toMatch(/misses \(1\)[\s\S]*\nz  spam\/auto_reject_spam → buying\/auto_route_sales/);
    expect(err.join('\n')).toMatch(/review rate 0\.200 > 0\.1/);
    expect(await run([file, '--max-review-rate', '1.5'])).toBe(2);
    expect(await run([])).toBe(2);
  });
});
