import { z } from 'zod';
import { CLASSIFIERS, ClassificationSchema, type ClassifierResult } from '../core/classification.ts';

const UsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_input_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
});

const SingleResultSchema = z.object({
  classification: ClassificationSchema.nullable(),
  classifier: z.enum(CLASSIFIERS),
  model: z.string().nullable(),
  prompt_version: z.string(),
  usage: UsageSchema,
  cost_usd: z.number(),
  latency_ms: z.number(),
  attempts: z.number(),
  failure: z.string().nullable(),
  fallback_reason: z.string().nullable(),
});

/** Re-validates a classifier result read back from a checkpoint or the decisions table. */
export const ClassifierResultSchema: z.ZodType<ClassifierResult> = SingleResultSchema.extend({
  second_opinion: SingleResultSchema.optional(),
});
