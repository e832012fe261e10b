import { z } from 'zod';
import type { Answer, Role } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const WebflowBody = z.object({
  triggerType: z.literal('form_submission'),
  payload: z.object({
    name: z.string().optional(),
    siteId: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
    schema: z.array(z.object({ fieldName: z.string(), fieldType: z.string().optional() })).optional(),
    submittedAt: z.string().optional(),
    id: z.string().max(200).optional(),
    formId: z.string().optional(),
  }),
});

function hintOf(fieldType: string | undefined): Role | undefined {
  if (!fieldType) return undefined;
  if (/email/i.test(fieldType)) return 'email';
  if (/phone|tel/i.test(fieldType)) return 'phone';
  if (/textarea/i.test(fieldType)) return 'message';
  return undefined;
}

/** Webflow `form_submission` webhook: payload.data maps field names to values; payload.schema gives field types. */
export function normalizeWebflow(body: unknown, nowMs: number): NormalizeResult {
  const parsed = WebflowBody.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const p = parsed.data.payload;
  const types = new Map((p.schema ?? []).map((s) => [s.fieldName, s.fieldType]));
  const answers: Answer[] = Object.entries(p.data).map(([label, value]) => ({ label, typeHint: hintOf(types.get(label)), value }));
  return buildLead(
    {
      answers,
      submittedAt: p.submittedAt,
      eventId: p.id ?? null,
      source: 'webflow',
      rawExtra: { _form_name: p.name ?? null, _form_id: p.formId ?? null, _site_id: p.siteId ?? null },
    },
    nowMs,
  );
}
