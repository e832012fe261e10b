import { z } from 'zod';
import type { Answer, Role } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const FieldRef = z.object({ id: z.string(), type: z.string().optional(), ref: z.string().optional() });
const TypeformAnswer = z.looseObject({ type: z.string(), field: FieldRef });
const TypeformBody = z.object({
  event_id: z.string().min(1).max(200).optional(),
  event_type: z.literal('form_response'),
  form_response: z.object({
    form_id: z.string().optional(),
    token: z.string().max(200).optional(),
    submitted_at: z.string().optional(),
    hidden: z.record(z.string(), z.unknown()).optional(),
    definition: z.object({ title: z.string().optional(), fields: z.array(FieldRef.extend({ title: z.string().optional() })).optional() }).optional(),
    answers: z.array(TypeformAnswer).default([]),
  }),
});

const TYPE_HINTS: Record<string, Role> = { email: 'email', phone_number: 'phone', website: 'website', long_text: 'message' };

/** Typeform `form_response` webhook: answers[] carry a value under the key named by their `type`; labels live in definition.fields. */
export function normalizeTypeform(body: unknown, nowMs: number): NormalizeResult {
  const parsed = TypeformBody.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const { event_id, form_response: fr } = parsed.data;
  const titles = new Map((fr.definition?.fields ?? []).map((f) => [f.id, f]));
  const answers: Answer[] = fr.answers.map((a) => {
    const def = titles.get(a.field.id);
    const fieldType = def?.type ?? a.field.type ?? '';
    return { label: def?.title ?? a.field.ref ?? a.field.id, typeHint: TYPE_HINTS[fieldType], value: a[a.type] };
  });
  for (const [key, value] of Object.entries(fr.hidden ?? {})) answers.push({ label: key, value });
  return buildLead(
    {
      answers,
      submittedAt: fr.submitted_at,
      eventId: event_id ?? fr.token ?? null,
      source: 'typeform',
      rawExtra: { _form_id: fr.form_id ?? null, _form_title: fr.definition?.title ?? null },
    },
    nowMs,
  );
}
