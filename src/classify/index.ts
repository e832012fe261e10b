import type { Config } from '../config/env.ts';
import type { Logger } from '../observability/logger.ts';
import type { Policy } from '../policy/schema.ts';
import type { Classifier } from '../pipeline/stages.ts';
import { createOfflineClassifier } from './offline/index.ts';

export { createOfflineClassifier };

export interface ClassifierOptions {
  anthropic: Config['anthropic'];
  policy: Policy;
  logger: Logger;
  timeoutMs?: number;
}

export function createClassifier(opts: ClassifierOptions): Classifier {
  void opts;
  return createOfflineClassifier();
}
