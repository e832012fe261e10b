import Anthropic from '@anthropic-ai/sdk';
import { BrokenCircuitError, TaskCancelledError, type IPolicy } from 'cockatiel';
import type { ClassifierResult } from '../core/classification.ts';
import type { Config } from '../config/env.ts';
import type { Logger } from '../observability/logger.ts';
import type { Policy } from '../policy/schema.ts';
import type { Classifier, ClassifyInput, RunContext } from '../pipeline/stages.ts';
import { isHighValue } from '../policy/rules/confidence.ts';
import { submissionText } from '../policy/rules/text.ts';
import { createClaudeClassifier } from './claude/classifier.ts';
import { DEFAULT_RESILIENCE, createResilience, type ResilienceOptions } from './claude/resilience.ts';
import { createOfflineClassifier } from './offline/index.ts';

export { createOfflineClassifier };

export interface ClassifierOptions {
  anthropic: Config['anthropic'];
  policy: Policy;
  logger: Logger;
  timeoutMs?: number;
  /** Tests shorten the waits and the breaker threshold. */
  resilience?: Partial<ResilienceOptions>;
}

function fallbackReason(err: unknown): string {
  if (err instanceof BrokenCircuitError) return 'breaker_open';
  if (err instanceof TaskCancelledError) return 'timeout';
  if (err instanceof Anthropic.APIError && err.status !== undefined) return `upstream_${err.status}`;
  return 'upstream_error';
}

/** Second opinion when the first answer sits in the grey band, or the lead is high value. */
function wantsSecondOpinion(first: ClassifierResult, input: ClassifyInput): boolean {
  const so = input.policy.classifier.second_opinion;
  const c = first.classification;
  if (!so.enabled || !c) return false;
  const [lo, hi] = so.grey_band;
  if (c.confidence >= lo && c.confidence <= hi) return true;
  return so.on_high_value && isHighValue(c.fit_score, submissionText(input.lead), input.policy).yes;
}

/**
 * The app's classifier: Claude when a key is configured, the offline classifier otherwise or when
 * Claude is unavailable (breaker open, timeout, upstream error). The result says who answered and why.
 */
export function createClassifier(opts: ClassifierOptions): Classifier {
  const offline = createOfflineClassifier();
  if (!opts.anthropic.apiKey) {
    return {
      name: 'offline',
      async classify(input, ctx) {
        return { ...(await offline.classify(input, ctx)), fallback_reason: 'no_api_key' };
      },
    };
  }
  // The SDK's own retries (2) and 10-minute timeout are far too long for a lead; ours are bounded.
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RESILIENCE.totalTimeoutMs;
  const client = new Anthropic({ apiKey: opts.anthropic.apiKey, baseURL: opts.anthropic.baseUrl ?? 'https://api.anthropic.com', maxRetries: 0, timeout: timeoutMs });
  const resilience: IPolicy = createResilience({ ...DEFAULT_RESILIENCE, totalTimeoutMs: timeoutMs, ...opts.resilience });
  const primary = createClaudeClassifier({ client, model: opts.anthropic.model, resilience });
  const stronger = createClaudeClassifier({ client, model: opts.policy.classifier.second_opinion.model, resilience });

  return {
    name: 'claude',
    async classify(input: ClassifyInput, ctx: RunContext): Promise<ClassifierResult> {
      let first: ClassifierResult;
      try {
        first = await primary.classify(input, ctx);
      } catch (err) {
        const reason = fallbackReason(err);
        opts.logger.warn({ lead_id: ctx.lead_id, correlation_id: ctx.correlation_id, reason }, 'claude classifier unavailable: offline classifier answers');
        return { ...(await offline.classify(input, ctx)), fallback_reason: reason };
      }
      if (!wantsSecondOpinion(first, input)) return first;
      try {
        const second = await stronger.classify(input, ctx);
        return { ...first, second_opinion: second };
      } catch (err) {
        opts.logger.warn({ lead_id: ctx.lead_id, reason: fallbackReason(err) }, 'second opinion unavailable');
        return first;
      }
    },
  };
}
