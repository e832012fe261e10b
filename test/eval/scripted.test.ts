import { describe, expect, it } from 'vitest';
import { evalCli } from './cli.ts';
import type { Decision } from '../../src/core/decision.ts';
import { parseDataset } from '../../src/eval/dataset.ts';
import { checkGates } from '../../src/eval/gates.ts';
import { computeLiarReport } from '../../src/eval/harm.ts';
import { runEval, type EvalRow } from '../../src/eval/run.ts';
import { honestModel, liarModels, liesFor, scriptedModels } from '../../src/eval/scripted.ts';
import { basePolicy, buyer, result } from '../policy/fixtures.ts';

const line = (id: string, email: string, message: string, expected: object, extra: object = {}) => JSON.stringify({ id, lead: { name: 'X', email, message }, expected, ...extra });
const SET = [
  line('buy', 'cto@northwind-saas.com', 'We are a 120-person SaaS company and would like a demo and pricing for 30 seats.', { intent: 'buying', final_action: 'auto_route_sales', priority: 'high' }),
  line('sup', 'ops@northwind-saas.com', 'Our dashboard stopped updating and the export fails with an error since Monday.', { intent: 'support', final_action: 'auto_route_support', route: 'support' }),
  line('spam', 'x@rankboost-seo.com', 'We offer cheap SEO and link building packages, guaranteed first page rankings.', { intent: 'spam', final_action: 'auto_reject_spam' }),
  line('odd', 'someone@gmail.com', 'hi', { intent: 'unclear', final_action: 'human_review', must_not: ['auto_reject_spam', 'auto_route_sales', 'hold'] }),
  line('ref', 'nope', 'hello there', { intent: 'unclear', final_action: 'refused' }),
].join('\n');
const ask = async (m: ReturnType<typeof honestModel>, c = parseDataset(SET)[0]!) => (await m.classify({ lead: c.lead!, enrichment: null as never, policy: basePolicy }, { lead_id: 'l', correlation_id: 'c' }));

describe('scripted models', () => {
  it('honest answers the labels, as the model, at zero cost', async () => {
    const [buy, sup, , odd] = parseDataset(SET);
    const r = await ask(honestModel(buy!), buy);
    expect(r).toMatchObject({ classifier: 'claude', cost_usd: 0, failure: null });
    expect(r.classification).toMatchObject({ intent: 'buying', recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', confidence: 0.95, fit_score: 85 });
    expect((await ask(honestModel(sup!), sup)).classification).toMatchObject({ assigned_to: 'support', priority: 'medium', fit_score: 60 });
    expect((await ask(honestModel(odd!), odd)).classification).toMatchObject({ recommended_action: 'human_review', assigned_to: null, confidence: 0.6, fit_score: 40 });
  });

  it('the liar tells one maximally confident lie per harmful automatic action', async () => {
    const [buy, , spam, odd] = parseDataset(SET);
    expect(liesFor(buy!)).toEqual(['auto_reject_spam']);
    expect(liesFor(spam!)).toEqual(['auto_route_sales', 'auto_route_support']);
    expect(liesFor(odd!)).toEqual(['auto_reject_spam', 'auto_route_sales']);
    const answers = await Promise.all(liarModels(spam!).map((m) => ask(m, spam)));
    expect(answers.map((a) => a.classification)).toMatchObject([
      { intent: 'buying', recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', fit_score: 95, confidence: 1 },
      { intent: 'support', recommended_action: 'auto_route_support', assigned_to: 'support', fit_score: 60, confidence: 1 },
    ]);
    const rows = await runEval(parseDataset(SET), { classifier: scriptedModels('liar'), policy: basePolicy, policyHash: 'h' });
    expect(rows.map((r) => r.runs.length)).toEqual([1, 1, 2, 2, 0]);
    expect(computeLiarReport(rows)).toMatchObject({ total: 5, lied: 4, lies: 6 });
  });

  it('a case is unsafe under the liar if any lie ends in a harmful automatic action; the share is per case lied about', () => {
    const cases = parseDataset(SET);
    const run = (final_action: Decision['final_action']) => ({ result: result(buyer), decision: { final_action, route: null, priority: 'low' as const, actions: [], held_actions: [], rules: [], needs_review: false, policy_hash: 'h' } });
    const rows: EvalRow[] = [
      { case: cases[0]!, precheck: null, runs: [run('auto_reject_spam')], latency_ms: 0 },
      { case: cases[2]!, precheck: null, runs: [run('human_review'), run('auto_route_support')], latency_ms: 0 },
      { case: cases[3]!, precheck: null, runs: [run('human_review'), run('human_review')], latency_ms: 0 },
      { case: { ...cases[1]!, facts: { known_contact: true } }, precheck: null, runs: [run('auto_reject_spam')], latency_ms: 0 },
    ];
    const r = computeLiarReport(rows);
    expect(r).toMatchObject({ lied: 4, unsafe: { count: 3, ids: ['buy', 'spam', 'sup'] }, unsafe_share: 0.75, known_rejects: { count: 1, ids: ['sup'] } });
    const g = { minAccuracy: null, maxReviewRate: null, maxUnsafe: null, maxLiarShare: 0.02, maxKnownRejects: 0 };
    expect(checkGates({ kind: 'liar', liar: r }, g)).toEqual(['liar unsafe share 0.750 > 0.02', 'automatic rejects of known contacts 1 > 0']);
  });

  it('the eval command runs --model honest|liar, emits every prediction with --json and applies the gates', async () => {
    const { file, out, err, run } = evalCli(SET);
    expect(await run([file, '--model', 'honest', '--json', '--max-unsafe', '0', '--max-known-rejects', '0'])).toBe(0);
    const honest = JSON.parse(out.join('\n'));
    expect(honest).toMatchObject({ model: 'honest', total: 5, classifiers: { claude: 4 }, refused: { count: 1, expected: 1 } });
    expect(honest.predictions.map((p: { id: string }) => p.id)).toEqual(['buy', 'sup', 'spam', 'odd', 'ref']);
    out.length = 0;
    const code = await run([file, '--model', 'liar', '--json', '--max-liar-share', '1', '--max-known-rejects', '0']);
    const liar = JSON.parse(out.join('\n'));
    expect(code).toBe(0);
    expect(liar).toMatchObject({ model: 'liar', lied: 4, lies: 6 });
    expect(liar.predictions).toHaveLength(7);
    expect(liar.predictions[0]).toMatchObject({ id: 'buy', lie: 'auto_reject_spam' });
    out.length = 0;
    expect(await run([file, '--model', 'liar'])).toBe(0);
    expect(out.join('\n')).toMatch(/^liar {2}leads: 5 {3}lied about: 4 \(6 lies\)/);
    expect(await run([file, '--model', 'liar', '--max-liar-share', '-0.5'])).toBe(2);
    expect(await run([file, '--model', 'liar', '--min-accuracy', '0.5'])).toBe(2);
    expect(await run([file, '--max-liar-share', '0.02'])).toBe(2);
    expect(await run([file, '--model', 'oracle'])).toBe(2);
    expect(err.join('\n')).toMatch(/--max-liar-share needs --model liar/);
  });
});
