import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/**
 * /metrics for the edge and the pipeline process together: the edge's registry plus the pipeline's last snapshot,
 * merged by prom-client's aggregator (counters and histograms add up; the two processes record different series).
 */
export async function combinedMetrics(edge: Registry, pipeline: Array<MetricObjectWithValues<MetricValue<string>>> | null): Promise<string> {
  if (!pipeline) return edge.metrics();
  return AggregatorRegistry.aggregate([await edge.getMetricsAsJSON(), pipeline]).metrics();
}
