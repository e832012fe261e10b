import { readFileSync } from 'node:fs';
import { describeError } from '../../core/errors.ts';
import { loadPolicy } from '../../policy/load.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createClassifier } from '../../classify/index.ts';
import { parseDataset } from '../../eval/dataset.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { checkGates, gateMisuse, type Gates } from '../../eval/gates.ts';
import { formatLiarReport, formatReport } from '../../eval/format.ts';
import { SCRIPTED_MODELS, type ScriptedModel } from '../../eval/scripted.ts';
import { parseCommandArgs, usageError, type Command } from '../command.ts';
import { EXPORT_HELP, EXPORT_USAGE, runEvalExport } from './eval-export.ts';

const FORMAT_DOC = 'data/eval/README.md';
const RATES = { 'min-accuracy': 'minAccuracy', 'max-review-rate': 'maxReviewRate', 'max-liar-share': 'maxLiarShare' } as const;
const COUNTS = { 'max-unsafe': 'maxUnsafe', 'max-known-rejects': 'maxKnownRejects' } as const;
const GATE_FLAGS = [...Object.keys(RATES), ...Object.keys(COUNTS)] as Array<keyof typeof RATES | keyof typeof COUNTS>;
const OPTIONS = {
  json: { type: 'boolean' },
  misses: { type: 'boolean' },
  model: { type: 'string' },
  ...Object.fromEntries(GATE_FLAGS.map((k) => [k, { type: 'string' }])),
} as const satisfies Record<string, { type: 'boolean' | 'string' }>;

/**
 * The first line that is not a labelled case at all (no `expected`, `lead` or `id`), said in words, or null.
 * Without it a file of submissions fails on its first line with "id: expected string".
 */
export function unlabelledLine(text: string, path: string): string | null {
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return null; // parseDataset names the line that is not JSON
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const missing = ['id', 'lead', 'expected'].filter((k) => !(k in value));
    if (missing.length === 0) continue;
    const submission = 'email' in value || 'message' in value || 'provider' in value;
    const names = missing.map((k) => `"${k}"`);
    const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
    return `${path}:${i + 1}: no ${listed} on this line: an eval case needs "id", the submission under "lead" and its labels under "expected" (intent, final_action)${submission ? '; this looks like a form submission, which `lead-triage ingest` replays' : ''}. The line format is in ${FORMAT_DOC}`;
  }
  return null;
}

/** `eval <dataset.jsonl>`: the real path up to the decision, no side effects; gates CI with thresholds. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score the classifier (or a scripted honest/liar model) and the policy on a labelled dataset (no side effects)',
  usage: `eval <dataset.jsonl> [--model honest|liar] [--json] [--misses] [--min-accuracy 0.85] [--max-unsafe 0] [--max-review-rate 0.35] [--max-liar-share 0.02] [--max-known-rejects 0] | ${EXPORT_USAGE}`,
  help: [
    `<dataset.jsonl>            labelled cases, one JSON object a line (format: ${FORMAT_DOC})`,
    '--model honest|liar        a scripted model instead of the configured classifier',
    '--json                     the report and every prediction as JSON',
    '--misses                   list the cases the classifier got wrong',
    '--min-accuracy <0..1>      fail (exit 1) below this intent accuracy',
    '--max-review-rate <0..1>   fail above this share of leads sent to review',
    '--max-unsafe <n>           fail above this many unsafe automatic actions',
    '--max-liar-share <0..1>    with --model liar: fail above this share of lies let through',
    '--max-known-rejects <n>    fail above this many automatic rejects of known contacts',
    ...EXPORT_HELP,
  ],
  async run(args, ctx) {
    // `export` is a sub-command: a dataset file named "export" is given as ./export.
    if (args[0] === 'export') return runEvalExport(args.slice(1), ctx);
    const parsed = parseCommandArgs(evalCommand, args, ctx.err, { options: OPTIONS, required: ['dataset.jsonl'] });
    if (!parsed) return 2;
    const v = parsed.values as Record<string, string | boolean | undefined>;
    const gates: Gates = { minAccuracy: null, maxReviewRate: null, maxLiarShare: null, maxUnsafe: null, maxKnownRejects: null };
    for (const flag of GATE_FLAGS) {
      const raw = v[flag] as string | undefined;
      if (raw === undefined) continue;
      const x = raw.trim() === '' ? NaN : Number(raw);
      const isRate = flag in RATES;
      if (isRate ? !(x >= 0 && x <= 1) : !(Number.isInteger(x) && x >= 0)) {
        return usageError(evalCommand, ctx.err, `--${flag} ${JSON.stringify(raw)} is not ${isRate ? 'a rate from 0 to 1' : 'a whole number of 0 or more'}`);
      }
      gates[isRate ? RATES[flag as keyof typeof RATES] : COUNTS[flag as keyof typeof COUNTS]] = x;
    }
    const path = parsed.positionals[0]!;
    const model = v.model as string | undefined;
    if (model !== undefined && !(SCRIPTED_MODELS as readonly string[]).includes(model)) {
      return usageError(evalCommand, ctx.err, `--model ${JSON.stringify(model)} is not one of ${SCRIPTED_MODELS.join(', ')}`);
    }
    const misuse = gateMisuse(model === 'liar' ? 'liar' : 'report', gates);
    if (misuse) return usageError(evalCommand, ctx.err, misuse);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      ctx.err(`lead-triage eval: ${code === 'ENOENT' ? `no dataset file ${path}` : `cannot read ${path} (${code ?? 'error'})`}`);
      return 2;
    }
    const unlabelled = unlabelledLine(text, path);
    if (unlabelled) {
      ctx.err(`lead-triage eval: ${unlabelled}`);
      return 2;
    }
    try {
      const { policy, hash } = loadPolicy(ctx.config.policyPath);
      const cases = parseDataset(text, path);
      const chosen = model === undefined ? createClassifier({ anthropic: ctx.config.anthropic, policy, logger: silentLogger() }) : (model as ScriptedModel);
      const { outcome, predictions } = await evaluate(cases, { model: chosen, policy, policyHash: hash });
      const body = outcome.kind === 'liar' ? outcome.liar : outcome.report;
      if (v.json) ctx.out(JSON.stringify({ model: model ?? 'configured', ...body, predictions }, null, 2));
      else ctx.out(outcome.kind === 'liar' ? formatLiarReport(outcome.liar) : formatReport(outcome.report, { misses: v.misses === true }));
      const failures = checkGates(outcome, gates);
      for (const f of failures) ctx.err(`eval gate failed: ${f}`);
      return failures.length ? 1 : 0;
    } catch (err) {
      const e = describeError(err);
      const hint = e.code === 'payload_invalid' ? ` (the line format is in ${FORMAT_DOC})` : '';
      ctx.err(`lead-triage eval: ${e.code === 'internal' ? (err as Error).message : e.message}${hint}`);
      return 2;
    }
  },
};
