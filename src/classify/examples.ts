import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ASSIGNEES, INTENTS, PRIORITIES, RECOMMENDED_ACTIONS } from '../core/classification.ts';

/** One worked example: a submission, its correct classification, and why. Operator text: rendered as data. */
export const WorkedExampleSchema = z
  .object({
    submission: z
      .object({
        name: z.string().max(200).optional(),
        email: z.email(),
        company: z.string().max(200).optional(),
        message: z.string().min(1).max(2000),
      })
      .strict(),
    classification: z
      .object({
        intent: z.enum(INTENTS),
        recommended_action: z.enum(RECOMMENDED_ACTIONS),
        assigned_to: z.enum(ASSIGNEES).nullable(),
        priority: z.enum(PRIORITIES),
        fit_score: z.number().int().min(0).max(100).optional(),
        confidence: z.number().min(0).max(1).optional(),
      })
      .strict(),
    why: z.string().min(1).max(1000).describe('The reasoning a person would give for this classification'),
  })
  .strict();
export type WorkedExample = z.infer<typeof WorkedExampleSchema>;

const DEFAULT_FILE = fileURLToPath(new URL('../../prompts/classify.v2.examples.json', import.meta.url));

/** The shipped set, written for the example company; read and checked once, so a bad file fails at start-up. */
export const DEFAULT_EXAMPLES: readonly WorkedExample[] = z.array(WorkedExampleSchema).parse(JSON.parse(readFileSync(DEFAULT_FILE, 'utf8')));

/** A policy's own list replaces the shipped set (an empty list means none); absent, the shipped set is used. */
export function examplesFor(policy: { classifier: { examples?: readonly WorkedExample[] | undefined } }): readonly WorkedExample[] {
  return policy.classifier.examples ?? DEFAULT_EXAMPLES;
}

/** Any tag-like text naming one of our delimiters is defanged, so neither a submitter nor an example can close one early. */
export function defang(text: string): string {
  return text.replace(/<\s*(\/?)\s*(lead_submission|enrichment|worked_examples|example)\b/gi, '‹$1$2');
}

/** Each example as compact JSON lines inside its own <example> block; JSON quoting keeps operator text a value. */
export function renderExamples(examples: readonly WorkedExample[]): string {
  if (!examples.length) return '(none)';
  return examples
    .map((e, i) => [
      `<example index="${i + 1}">`,
      `submission: ${defang(JSON.stringify(e.submission))}`,
      `classification: ${JSON.stringify(e.classification)}`,
      `why: ${defang(JSON.stringify(e.why))}`,
      '</example>',
    ].join('\n'))
    .join('\n');
}
