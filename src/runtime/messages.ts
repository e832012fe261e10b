import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** The edge (HTTP, Slack listeners, console) to the pipeline process. */
export type ToPipeline =
  /** A lead or an effect was queued: look now instead of at the next poll. */
  | { type: 'nudge' }
  /** Finish in-flight work and exit. */
  | { type: 'stop' };

/** The pipeline process to the edge. */
export type FromPipeline =
  /** Every second: that its loops turn (for /healthz) and, every few beats, its metrics (for /metrics). */
  | { type: 'beat'; workerTick: number | null; dispatcherPass: number | null; metrics?: Array<MetricObjectWithValues<MetricValue<string>>> }
  /** It reloaded the policy file to this hash: the edge adopts the same text. */
  | { type: 'policy'; hash: string }
  | { type: 'started' };
