import { z } from 'zod';
import type { CanonicalLead } from '../core/lead.ts';
import type { ClassifierName, ClassifierResult } from '../core/classification.ts';
import type { Enrichment } from '../core/enrichment.ts';
import { RuleHitSchema, type Decision, type HumanInput } from '../core/decision.ts';
import type { Policy } from '../policy/schema.ts';

/** Identifies one lead's trip through the pipeline in logs and the audit log. */
export interface RunContext {
  lead_id: string;
  correlation_id: string;
  signal?: AbortSignal;
}

export const PrecheckResultSchema = z.object({
  verdict: z.enum(['continue', 'hold', 'reject']),
  rules: z.array(RuleHitSchema),
});
export type PrecheckResult = z.infer<typeof PrecheckResultSchema>;

export interface Enricher {
  enrich(lead: CanonicalLead, ctx: RunContext): Promise<Enrichment>;
}

export interface ClassifyInput {
  lead: CanonicalLead;
  enrichment: Enrichment;
  policy: Policy;
}

export interface Classifier {
  readonly name: ClassifierName;
  classify(input: ClassifyInput, ctx: RunContext): Promise<ClassifierResult>;
}

export interface DecideInput {
  lead: CanonicalLead;
  enrichment: Enrichment;
  classification: ClassifierResult;
  policy: Policy;
  policyHash: string;
  precheck: PrecheckResult;
  /** The policy's kill switch OR the runtime pause set from Slack. */
  killSwitch: boolean;
  human?: HumanInput | null;
}

/** Pure: no clock, no I/O, same input → same Decision. */
export type DecideFn = (input: DecideInput) => Decision;
