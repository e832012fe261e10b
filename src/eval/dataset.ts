import { z } from 'zod';
import { ASSIGNEES, INTENTS } from '../core/classification.ts';
import { FINAL_ACTIONS } from '../core/decision.ts';
import { AppError, firstIssueLine } from '../core/errors.ts';
import { CanonicalLeadSchema, type CanonicalLead } from '../core/lead.ts';

const CaseSchema = z.object({
  id: z.string().min(1),
  lead: z.object({
    name: z.string().nullable().optional(),
    email: z.string(),
    company: z.string().nullable().optional(),
    website: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    message: z.string(),
  }),
  expected: z.object({
    intent: z.enum(INTENTS),
    final_action: z.enum(FINAL_ACTIONS),
    route: z.enum(ASSIGNEES).optional(),
    disqualified: z.boolean().optional(),
  }),
});
export type EvalExpected = z.infer<typeof CaseSchema>['expected'];

export interface EvalCase {
  id: string;
  lead: CanonicalLead;
  expected: EvalExpected;
}

/** A fixed instant: the eval must not depend on the clock. */
const SUBMITTED_AT = '2026-01-05T09:00:00Z';

/** Parses a JSONL dataset; a bad line is one AppError naming the line and field. */
export function parseDataset(text: string, path = '(dataset)'): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new AppError('payload_invalid', `${path}:${i + 1}: not valid JSON`);
    }
    const parsed = CaseSchema.safeParse(json);
    if (!parsed.success) throw new AppError('payload_invalid', `${path}:${i + 1}: ${firstIssueLine(parsed.error.issues).line}`);
    const c = parsed.data;
    const lead = CanonicalLeadSchema.safeParse({
      name: c.lead.name ?? null,
      email: c.lead.email,
      company: c.lead.company ?? null,
      website: c.lead.website ?? null,
      phone: c.lead.phone ?? null,
      message: c.lead.message,
      source: 'eval',
      utm: { source: null, medium: null, campaign: null, term: null, content: null },
      submitted_at: SUBMITTED_AT,
      submitter_ip: null,
      raw_answers: {},
    });
    if (!lead.success) throw new AppError('payload_invalid', `${path}:${i + 1}: lead.${firstIssueLine(lead.error.issues).line}`);
    cases.push({ id: c.id, lead: lead.data, expected: c.expected });
  });
  return cases;
}
