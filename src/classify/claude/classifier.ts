import Anthropic from '@anthropic-ai/sdk';
import type { IPolicy } from 'cockatiel';
import { ClassificationSchema, ZERO_USAGE, type Classification, type ClassifierResult, type ClassifierUsage } from '../../core/classification.ts';
import type { Classifier, ClassifyInput, RunContext } from '../../pipeline/stages.ts';
import { addUsage, costUsd } from '../prices.ts';
import { CURRENT_PROMPT, TOOL_NAME, classificationTool, userMessage, type PromptVersion } from './prompt.ts';

type MessageParam = Anthropic.MessageParam;

export interface ClaudeClassifierOptions {
  client: Anthropic;
  model: string;
  resilience: IPolicy;
  maxTokens?: number;
  /** Default: the current version; the cache bench runs the earlier one beside it. */
  prompt?: PromptVersion;
}

function usageOf(u: Anthropic.Usage): ClassifierUsage {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
  };
}

/** The one line the model needs to fix its answer: which fields, what is wrong. */
function validationFeedback(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const lines = issues.slice(0, 10).map((i) => `- ${i.path.map(String).join('.') || '(input)'}: ${i.message}`);
  return `The tool input did not match the schema:\n${lines.join('\n')}\nCall ${TOOL_NAME} again with a corrected, complete input.`;
}

/**
 * Claude through forced tool use: tool_choice names our one tool, so the answer is always a
 * tool_use block whose input is checked against the zod schema. One corrective retry tells the model
 * what was wrong (a tool_result with is_error); a second invalid answer is `schema_validation_failed`.
 * Transport errors (after bounded retries) propagate to the caller, which falls back.
 */
export function createClaudeClassifier(opts: ClaudeClassifierOptions): Classifier {
  const tool = classificationTool();
  const prompt = opts.prompt ?? CURRENT_PROMPT;
  return {
    name: 'claude',
    async classify(input: ClassifyInput, ctx: RunContext): Promise<ClassifierResult> {
      const started = performance.now();
      const system = prompt.system(input.policy);
      const messages: MessageParam[] = [{ role: 'user', content: userMessage(input.lead, input.enrichment) }];
      let usage = ZERO_USAGE;
      let model = opts.model;
      let failure: string | null = null;
      let classification: Classification | null = null;
      let attempts = 0;
      for (attempts = 1; attempts <= 2; attempts++) {
        const response = await opts.resilience.execute(
          ({ signal }) =>
            opts.client.messages.create(
              { model: opts.model, max_tokens: opts.maxTokens ?? 1024, system, tools: [tool], tool_choice: { type: 'tool', name: TOOL_NAME }, messages },
              { signal: ctx.signal ? AbortSignal.any([signal, ctx.signal]) : signal },
            ),
        );
        usage = addUsage(usage, usageOf(response.usage));
        model = response.model || opts.model;
        const block = response.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL_NAME);
        const parsed = block ? ClassificationSchema.safeParse(block.input) : null;
        if (parsed?.success) {
          classification = parsed.data;
          failure = null;
          break;
        }
        failure = 'schema_validation_failed';
        if (attempts === 2) break;
        messages.push({ role: 'assistant', content: response.content as Anthropic.ContentBlockParam[] });
        const feedback = parsed ? validationFeedback(parsed.error.issues) : `No ${TOOL_NAME} call was made. Call ${TOOL_NAME} with the classification.`;
        messages.push(
          block
            ? { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, is_error: true, content: feedback }] }
            : { role: 'user', content: feedback },
        );
      }
      return {
        classification,
        classifier: 'claude',
        model,
        prompt_version: prompt.version,
        usage,
        cost_usd: costUsd(model, usage),
        latency_ms: performance.now() - started,
        attempts: Math.min(attempts, 2),
        failure,
        fallback_reason: null,
      };
    },
  };
}
