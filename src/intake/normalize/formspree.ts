import { z } from 'zod';
import type { Answer } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const FormspreeBody = z.object({
  form: z.string().optional(),
  submission: z.record(z.string(), z.unknown()),
  keys: z.array(z.string()).optional(),
});

/**
 * Formspree webhook: `{ form, submission: { _date, <field>: value… }, keys }`. Field names are whatever the
 * site's HTML form used (`_replyto` is Formspree's conventional email alias). Formspree sends no event id.
 */
export function normalizeFormspree(body: unknown, nowMs: number): NormalizeResult {
  const parsed = FormspreeBody.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const { form, submission } = parsed.data;
  const answers: Answer[] = Object.entries(submission)
    .filter(([key]) => key !== '_date')
    .map(([label, value]) => ({ label, value }));
  return buildLead(
    { answers, submittedAt: submission._date, eventId: null, source: 'formspree', rawExtra: { _form_id: form ?? null } },
    nowMs,
  );
}
