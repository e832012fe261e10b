import type { LiarReport } from './harm.ts';
import type { EvalReport } from './metrics.ts';

/** CI thresholds; null = not gated. */
export interface Gates {
  minAccuracy: number | null;
  maxUnsafe: number | null;
  maxReviewRate: number | null;
  maxLiarShare: number | null;
  maxKnownRejects: number | null;
}

export type Outcome = { kind: 'report'; report: EvalReport } | { kind: 'liar'; liar: LiarReport };

/** Gates that need a single-answer model's report, and the one that needs the liar's. */
export function gateMisuse(kind: Outcome['kind'], g: Gates): string | null {
  if (kind === 'liar' && (g.minAccuracy !== null || g.maxReviewRate !== null)) return '--min-accuracy and --max-review-rate do not apply to --model liar';
  if (kind === 'report' && g.maxLiarShare !== null) return '--max-liar-share needs --model liar';
  return null;
}

/** Every failed gate, as one line each; `--max-unsafe` and `--max-known-rejects` apply to whichever model ran. */
export function checkGates(o: Outcome, g: Gates): string[] {
  const failures: string[] = [];
  const unsafe = o.kind === 'liar' ? o.liar.unsafe.count : o.report.unsafe.count;
  const known = o.kind === 'liar' ? o.liar.known_rejects.count : o.report.known_rejects.count;
  if (o.kind === 'report') {
    const r = o.report;
    if (g.minAccuracy !== null && r.accuracy.intent < g.minAccuracy) failures.push(`intent accuracy ${r.accuracy.intent.toFixed(3)} < ${g.minAccuracy}`);
  }
  if (g.maxUnsafe !== null && unsafe > g.maxUnsafe) failures.push(`unsafe automatic actions ${unsafe} > ${g.maxUnsafe}`);
  if (o.kind === 'report' && g.maxReviewRate !== null && o.report.review_rate > g.maxReviewRate) failures.push(`review rate ${o.report.review_rate.toFixed(3)} > ${g.maxReviewRate}`);
  if (o.kind === 'liar' && g.maxLiarShare !== null && o.liar.unsafe_share > g.maxLiarShare) failures.push(`liar unsafe share ${o.liar.unsafe_share.toFixed(3)} > ${g.maxLiarShare}`);
  if (g.maxKnownRejects !== null && known > g.maxKnownRejects) failures.push(`automatic rejects of known contacts ${known} > ${g.maxKnownRejects}`);
  return failures;
}
