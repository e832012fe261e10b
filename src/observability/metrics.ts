import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests that start several apps do not share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({ name: 'lead_triage_webhooks_total', help: 'Webhook requests by provider and HTTP status', labelNames: ['provider', 'status'] as const, registers: [registry] }),
    ackLatency: new Histogram({ name: 'lead_triage_webhook_ack_seconds', help: 'Time from request to webhook acknowledgement', labelNames: ['provider'] as const, buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    jobs: new Counter({ name: 'lead_triage_jobs_total', help: 'Pipeline jobs finished, by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    stageLatency: new Histogram({ name: 'lead_triage_stage_seconds', help: 'Pipeline stage latency', labelNames: ['stage'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    decisions: new Counter({ name: 'lead_triage_decisions_total', help: 'Decisions by final action', labelNames: ['final_action'] as const, registers: [registry] }),
    effects: new Counter({ name: 'lead_triage_effects_total', help: 'Outbox effects by kind and outcome', labelNames: ['kind', 'outcome'] as const, registers: [registry] }),
    humanDecisions: new Counter({ name: 'lead_triage_human_decisions_total', help: 'Reviews settled by an approver, by decision (approve, reject, edit)', labelNames: ['decision'] as const, registers: [registry] }),
    claims: new Counter({ name: 'lead_triage_claims_total', help: 'Leads a person took, accepted or reassigned, by how', labelNames: ['how'] as const, registers: [registry] }),
    classifierCost: new Counter({ name: 'lead_triage_classifier_cost_usd_total', help: 'Classifier spend in USD', labelNames: ['classifier', 'model'] as const, registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
