import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeError } from '../../core/errors.ts';
import { loadPolicy } from '../../policy/load.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createClassifier } from '../../classify/index.ts';
import { parseDataset } from '../../eval/dataset.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { checkGates, gateMisuse, type Gates } from '../../eval/gates.ts';
import { formatLiarReport, formatReport } from '../../eval/format.ts';
import { SCRIPTED_MODELS, type ScriptedModel } from '../../eval/scripted.ts';
import type { Command } from '../command.ts';

const RATES = ['min-accuracy', 'max-review-rate', 'max-liar-share'] as const;
const COUNTS = ['max-unsafe', 'max-known-rejects'] as const;

/** `eval <dataset.jsonl>`: the real path up to the decision, no side effects; gates CI with thresholds. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score the classifier (or a scripted honest/liar model) and the policy on a labelled dataset (no side effects)',
  usage: 'eval <dataset.jsonl> [--model honest|liar] [--json] [--misses] [--min-accuracy 0.85] [--max-unsafe 0] [--max-review-rate 0.35] [--max-liar-share 0.02] [--max-known-rejects 0]',
  async run(args, ctx) {
    let parsed;
    try {
      const numeric = Object.fromEntries([...RATES, ...COUNTS].map((k) => [k, { type: 'string' as const }]));
      parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, misses: { type: 'boolean' }, model: { type: 'string' }, ...numeric } });
    } catch (err) {
      ctx.err(`eval: ${(err as Error).message}`);
      return 2;
    }
    const v = parsed.values as Record<string, string | boolean | undefined>;
    const num = (k: string): number | null => (v[k] === undefined ? null : Number(v[k]));
    const gates: Gates = { minAccuracy: num('min-accuracy'), maxReviewRate: num('max-review-rate'), maxLiarShare: num('max-liar-share'), maxUnsafe: num('max-unsafe'), maxKnownRejects: num('max-known-rejects') };
    const isRate = (x: number | null): boolean => x === null || (x >= 0 && x <= 1);
    const isCount = (x: number | null): boolean => x === null || (Number.isInteger(x) && x >= 0);
    const path = parsed.positionals[0];
    const model = v.model as string | undefined;
    const scripted = model === undefined || (SCRIPTED_MODELS as readonly string[]).includes(model);
    const misuse = gateMisuse(model === 'liar' ? 'liar' : 'report', gates);
    if (!path || !scripted || ![gates.minAccuracy, gates.maxReviewRate, gates.maxLiarShare].every(isRate) || ![gates.maxUnsafe, gates.maxKnownRejects].every(isCount) || misuse) {
      if (misuse) ctx.err(`eval: ${misuse}`);
      ctx.err(`usage: lead-triage ${this.usage}`);
      return 2;
    }
    try {
      const { policy, hash } = loadPolicy(ctx.config.policyPath);
      const cases = parseDataset(readFileSync(path, 'utf8'), path);
      const chosen = model === undefined ? createClassifier({ anthropic: ctx.config.anthropic, policy, logger: silentLogger() }) : (model as ScriptedModel);
      const { outcome, predictions } = await evaluate(cases, { model: chosen, policy, policyHash: hash });
      const body = outcome.kind === 'liar' ? outcome.liar : outcome.report;
      if (parsed.values.json) ctx.out(JSON.stringify({ model: model ?? 'configured', ...body, predictions }, null, 2));
      else ctx.out(outcome.kind === 'liar' ? formatLiarReport(outcome.liar) : formatReport(outcome.report, { misses: parsed.values.misses === true }));
      const failures = checkGates(outcome, gates);
      for (const f of failures) ctx.err(`eval gate failed: ${f}`);
      return failures.length ? 1 : 0;
    } catch (err) {
      const e = describeError(err);
      ctx.err(`eval: ${e.code === 'internal' ? (err as Error).message : e.message}`);
      return 2;
    }
  },
};
