import { ZERO_USAGE } from '../../core/classification.ts';
import type { Classifier } from '../../pipeline/stages.ts';
import { readSignals } from './signals.ts';
import { classifyFromSignals } from './classify.ts';

export const OFFLINE_PROMPT_VERSION = 'offline-v2';

/** No network, deterministic, same schema as the model: the embedded default and the fallback. */
export function createOfflineClassifier(): Classifier {
  return {
    name: 'offline',
    async classify({ lead, enrichment, policy }) {
      const started = performance.now();
      const classification = classifyFromSignals(readSignals(lead, enrichment, policy), enrichment, policy);
      return {
        classification,
        classifier: 'offline',
        model: null,
        prompt_version: OFFLINE_PROMPT_VERSION,
        usage: ZERO_USAGE,
        cost_usd: 0,
        latency_ms: performance.now() - started,
        attempts: 1,
        failure: null,
        fallback_reason: null,
      };
    },
  };
}
