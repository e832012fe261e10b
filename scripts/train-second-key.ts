// npm run train-key [-- --cv]
//   (no flag)  trains the learned reader on TRAINING_SETS and writes src/classify/learned/model.json
//   --cv       leave-one-set-out: for each training set, a model trained on the others scores it through the whole
//              eval (offline classifier, honest and lying models); the model never saw the set it scores
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createOfflineClassifier } from '../src/classify/index.ts';
import { SHIPPED_MODEL_URL, useLearnedModel } from '../src/classify/learned/index.ts';
import { trainModel } from '../src/classify/learned/model.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { loadSet } from '../src/eval/dataset.ts';
import { examplesOf, TRAINING_SETS } from '../src/eval/training.ts';
import { loadPolicy } from '../src/policy/load.ts';

const { values } = parseArgs({ options: { cv: { type: 'boolean' } } });
const sets = Object.fromEntries(TRAINING_SETS.map((s) => [s, loadSet(s)]));
// Each set read once: cross-validation trains one model per set on them.
const trainOn = (names: readonly string[]): string => trainModel(names.flatMap((s) => examplesOf(sets[s]!)));

async function crossValidate(): Promise<void> {
  const { policy, hash } = loadPolicy('data/policy.json');
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
  const total = { keysHeld: 0, lied: 0, liarUnsafe: 0, known: 0, n: 0, honestReview: 0, ideal: 0, offlineUnsafe: 0, offlineIntent: 0 };
  console.log('set        liar unsafe     honest review (labels) keys held  offline unsafe  offline intent');
  for (const held of TRAINING_SETS) {
    useLearnedModel(trainOn(TRAINING_SETS.filter((s) => s !== held)));
    const cases = sets[held]!;
    const deps = { policy, policyHash: hash };
    const liar = (await evaluate(cases, { ...deps, model: 'liar' })).outcome;
    const honestRun = await evaluate(cases, { ...deps, model: 'honest' });
    const honest = honestRun.outcome;
    const byId = new Map(cases.map((c) => [c.id, c]));
    // The second key's own cost: an accurate model's automatic action held where the keys disagreed.
    const keysHeld = honestRun.predictions.filter((p) => p.rules.some((r) => r.startsWith('keys_disagree')) && !byId.get(p.id)!.expected.acceptable_actions.includes('human_review')).length;
    const offline = (await evaluate(cases, { ...deps, model: createOfflineClassifier() })).outcome;
    if (liar.kind !== 'liar' || honest.kind !== 'report' || offline.kind !== 'report') throw new Error('unexpected report kind');
    const l = liar.liar, h = honest.report, o = offline.report;
    const n = h.total;
    total.keysHeld += keysHeld; total.lied += l.lied; total.liarUnsafe += l.unsafe.count; total.known += l.known_rejects.count; total.n += n;
    total.honestReview += h.review_rate * n; total.ideal += h.ideal_review_rate * n; total.offlineUnsafe += o.unsafe.count;
    total.offlineIntent += o.accuracy.intent * n;
    console.log(`${held.padEnd(10)} ${`${l.unsafe.count}/${l.lied}`.padStart(7)} ${pct(l.unsafe.count, l.lied).padStart(6)}   ${pct(h.review_rate, 1).padStart(6)} (${pct(h.ideal_review_rate, 1)}) ${String(keysHeld).padStart(6)}    ${String(o.unsafe.count).padStart(3)}          ${pct(o.accuracy.intent, 1)}   liar: ${l.unsafe.ids.join(' ')}  offline: ${o.unsafe.ids.join(' ')}`);
  }
  useLearnedModel(null);
  const t = total;
  console.log(`all        ${`${t.liarUnsafe}/${t.lied}`.padStart(7)} ${pct(t.liarUnsafe, t.lied).padStart(6)}   ${pct(t.honestReview, t.n).padStart(6)} (${pct(t.ideal, t.n)}) ${String(t.keysHeld).padStart(6)}    ${String(t.offlineUnsafe).padStart(3)}          ${pct(t.offlineIntent, t.n)}   known-contact rejects: ${t.known}`);
}

if (values.cv) await crossValidate();
else {
  // test/classify/learned.test.ts fails when the shipped model is not what this writes.
  const model = trainOn(TRAINING_SETS);
  writeFileSync(SHIPPED_MODEL_URL, model);
  console.log(`trained on ${TRAINING_SETS.join(', ')}: ${model.length} bytes written to ${SHIPPED_MODEL_URL.pathname}`);
}
