import { z } from 'zod';
import type { Answer, Role } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const TallyField = z.object({
  key: z.string(),
  label: z.string().nullish(),
  type: z.string(),
  value: z.unknown(),
  options: z.array(z.object({ id: z.string(), text: z.string() })).optional(),
});
const TallyBody = z.object({
  eventId: z.string().min(1).max(200).optional(),
  eventType: z.literal('FORM_RESPONSE'),
  createdAt: z.string().optional(),
  data: z.object({
    responseId: z.string().optional(),
    submissionId: z.string().optional(),
    formId: z.string().optional(),
    formName: z.string().optional(),
    createdAt: z.string().optional(),
    fields: z.array(TallyField),
  }),
});

const TYPE_HINTS: Record<string, Role> = { INPUT_EMAIL: 'email', INPUT_PHONE_NUMBER: 'phone', INPUT_LINK: 'website', TEXTAREA: 'message' };

/** Tally `FORM_RESPONSE` webhook: data.fields[] with label/type/value; choice values are option ids resolved via `options`. */
export function normalizeTally(body: unknown, nowMs: number): NormalizeResult {
  const parsed = TallyBody.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const { eventId, data } = parsed.data;
  const answers: Answer[] = data.fields.map((f) => ({ label: f.label || f.key, typeHint: TYPE_HINTS[f.type], value: resolveOptions(f.value, f.options) }));
  return buildLead(
    {
      answers,
      submittedAt: data.createdAt ?? parsed.data.createdAt,
      eventId: eventId ?? data.submissionId ?? data.responseId ?? null,
      source: 'tally',
      rawExtra: { _form_id: data.formId ?? null, _form_name: data.formName ?? null },
    },
    nowMs,
  );
}

function resolveOptions(value: unknown, options: Array<{ id: string; text: string }> | undefined): unknown {
  if (!options || !Array.isArray(value)) return value;
  const byId = new Map(options.map((o) => [o.id, o.text]));
  return value.map((v) => (typeof v === 'string' ? (byId.get(v) ?? v) : v));
}
