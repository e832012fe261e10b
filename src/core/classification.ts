import { z } from 'zod';

export const INTENTS = ['buying', 'researching', 'support', 'spam', 'unclear'] as const;
export const RECOMMENDED_ACTIONS = ['auto_route_sales', 'auto_route_support', 'human_review', 'auto_reject_spam'] as const;
export const ASSIGNEES = ['sales', 'support', 'founder'] as const;
export const PRIORITIES = ['high', 'medium', 'low'] as const;

/** The single source of truth for what a classifier may say; the model's JSON Schema is generated from it. */
export const ClassificationSchema = z
  .object({
    intent: z.enum(INTENTS),
    fit_score: z.number().int().min(0).max(100),
    fit_reasoning: z.string().min(1).max(1500).describe('Concrete evidence from the submission and enrichment behind the fit score'),
    confidence: z.number().min(0).max(1),
    recommended_action: z.enum(RECOMMENDED_ACTIONS),
    assigned_to: z.enum(ASSIGNEES).nullable(),
    priority: z.enum(PRIORITIES),
    summary_for_slack: z.string().min(1).max(600),
  })
  .strict();
export type Classification = z.infer<typeof ClassificationSchema>;
export type Intent = Classification['intent'];
export type RecommendedAction = Classification['recommended_action'];
export type Assignee = NonNullable<Classification['assigned_to']>;

export const CLASSIFIERS = ['claude', 'offline'] as const;
export type ClassifierName = (typeof CLASSIFIERS)[number];

export const ClassifierUsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_input_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
});
export type ClassifierUsage = z.infer<typeof ClassifierUsageSchema>;

export const ZERO_USAGE: ClassifierUsage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

/** What one classifier run produced, with everything the audit log needs about it. */
const SingleResultSchema = z.object({
  /** null when the output never validated; the decision then goes to review with `failure`. */
  classification: ClassificationSchema.nullable(),
  classifier: z.enum(CLASSIFIERS),
  model: z.string().nullable(),
  prompt_version: z.string(),
  usage: ClassifierUsageSchema,
  cost_usd: z.number(),
  latency_ms: z.number(),
  attempts: z.number(),
  /** Machine-readable reason when the classifier could not produce a valid answer, e.g. `schema_validation_failed`. */
  failure: z.string().nullable(),
  /** Why this classifier answered instead of the preferred one, e.g. `breaker_open`, `no_api_key`. */
  fallback_reason: z.string().nullable(),
});

/** Also re-validates results read back from checkpoints and the decisions table. */
export const ClassifierResultSchema = SingleResultSchema.extend({
  /** Present when a stronger model was consulted as a second opinion. */
  second_opinion: SingleResultSchema.optional(),
});
export type ClassifierResult = z.infer<typeof ClassifierResultSchema>;
