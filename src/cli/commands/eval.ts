import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeError } from '../../core/errors.ts';
import { loadPolicy } from '../../policy/load.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createClassifier } from '../../classify/index.ts';
import { parseDataset } from '../../eval/dataset.ts';
import { runEval } from '../../eval/run.ts';
import { computeReport } from '../../eval/metrics.ts';
import { formatReport } from '../../eval/format.ts';
import type { Command } from '../command.ts';

/** `eval <dataset.jsonl>`: the real path up to the decision, no side effects; gates CI with thresholds. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score the classifier and policy on a labelled dataset (no side effects)',
  usage: 'eval <dataset.jsonl> [--json] [--misses] [--min-accuracy 0.85] [--max-unsafe 0] [--max-review-rate 0.35]',
  async run(args, ctx) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, misses: { type: 'boolean' }, 'min-accuracy': { type: 'string' }, 'max-unsafe': { type: 'string' }, 'max-review-rate': { type: 'string' } } });
    } catch (err) {
      ctx.err(`eval: ${(err as Error).message}`);
      return 2;
    }
    const path = parsed.positionals[0];
    const minAccuracy = parsed.values['min-accuracy'] === undefined ? null : Number(parsed.values['min-accuracy']);
    const maxUnsafe = parsed.values['max-unsafe'] === undefined ? null : Number(parsed.values['max-unsafe']);
    const maxReview = parsed.values['max-review-rate'] === undefined ? null : Number(parsed.values['max-review-rate']);
    const isRate = (x: number | null): boolean => x === null || (x >= 0 && x <= 1);
    if (!path || !isRate(minAccuracy) || !isRate(maxReview) || (maxUnsafe !== null && !(Number.isInteger(maxUnsafe) && maxUnsafe >= 0))) {
      ctx.err(`usage: lead-triage ${this.usage}`);
      return 2;
    }
    try {
      const { policy, hash } = loadPolicy(ctx.config.policyPath);
      const cases = parseDataset(readFileSync(path, 'utf8'), path);
      const classifier = createClassifier({ anthropic: ctx.config.anthropic, policy, logger: silentLogger() });
      const report = computeReport(await runEval(cases, { classifier, policy, policyHash: hash }), policy);
      ctx.out(parsed.values.json ? JSON.stringify(report, null, 2) : formatReport(report, { misses: parsed.values.misses === true }));
      const failures: string[] = [];
      if (minAccuracy !== null && report.accuracy.intent < minAccuracy) failures.push(`intent accuracy ${report.accuracy.intent.toFixed(3)} < ${minAccuracy}`);
      if (maxUnsafe !== null && report.unsafe.count > maxUnsafe) failures.push(`unsafe automatic actions ${report.unsafe.count} > ${maxUnsafe}`);
      if (maxReview !== null && report.review_rate > maxReview) failures.push(`review rate ${report.review_rate.toFixed(3)} > ${maxReview}`);
      for (const f of failures) ctx.err(`eval gate failed: ${f}`);
      return failures.length ? 1 : 0;
    } catch (err) {
      const e = describeError(err);
      ctx.err(`eval: ${e.code === 'internal' ? (err as Error).message : e.message}`);
      return 2;
    }
  },
};
