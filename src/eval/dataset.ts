import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ASSIGNEES, INTENTS, PRIORITIES } from '../core/classification.ts';
import { FINAL_ACTIONS, type FinalAction } from '../core/decision.ts';
import { AppError, firstIssueLine } from '../core/errors.ts';
import { CanonicalLeadSchema, type CanonicalLead } from '../core/lead.ts';

/** What a label may expect: any final action, or `refused` (the intake must refuse the submission). */
export const EXPECTED_ACTIONS = [...FINAL_ACTIONS, 'refused'] as const;
export type ExpectedAction = (typeof EXPECTED_ACTIONS)[number];

const FactsSchema = z
  .object({
    employees: z.number().int().min(0).optional(),
    industry: z.string().optional(),
    country: z.string().optional(),
    known_contact: z.boolean().optional(),
    customer: z.boolean().optional(),
  })
  .strict();
export type EvalFacts = z.infer<typeof FactsSchema>;

const CaseSchema = z.object({
  id: z.string().min(1),
  lead: z.object({
    name: z.string().nullable().optional(),
    email: z.string(),
    company: z.string().nullable().optional(),
    website: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    message: z.string(),
    submitted_at: z.iso.datetime({ offset: true }).optional(),
    submitter_ip: z.string().nullable().optional(),
    source: z.string().optional(),
  }),
  facts: FactsSchema.optional(),
  expected: z
    .object({
      intent: z.enum(INTENTS),
      final_action: z.enum(EXPECTED_ACTIONS),
      route: z.enum(ASSIGNEES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      disqualified: z.boolean().optional(),
      /** Final actions a careful human accepts; the label's final_action always is one. */
      acceptable_actions: z.array(z.enum(EXPECTED_ACTIONS)).optional(),
      /** Final actions that do harm on this lead. */
      must_not: z.array(z.enum(FINAL_ACTIONS)).optional(),
    })
    .superRefine((e, ctx) => {
      const bad = (e.must_not ?? []).find((a) => a === e.final_action || e.acceptable_actions?.includes(a));
      if (bad) ctx.addIssue({ code: 'custom', path: ['must_not'], message: `${bad} is both acceptable and harmful` });
    }),
});

export type EvalExpected = Omit<z.infer<typeof CaseSchema>['expected'], 'acceptable_actions' | 'must_not'> & {
  acceptable_actions: readonly ExpectedAction[];
  must_not: readonly FinalAction[];
};

interface CaseBase {
  id: string;
  facts: EvalFacts | null;
  expected: EvalExpected;
}
/** A case the intake accepts, as a canonical lead. */
export interface AcceptedCase extends CaseBase {
  lead: CanonicalLead;
  refused: null;
}
/** A case whose lead the intake would refuse (it fails CanonicalLeadSchema), with the reason. */
export interface RefusedCase extends CaseBase {
  lead: null;
  refused: string;
}
export type EvalCase = AcceptedCase | RefusedCase;

/** A fixed instant for cases without `submitted_at`: the eval must not depend on the clock. */
export const SUBMITTED_AT = '2026-01-05T09:00:00Z';

/** Default harm: routing spam or a disqualified lead; rejecting anything else. */
export function defaultMustNot(e: { intent: string; disqualified?: boolean | undefined }): FinalAction[] {
  return e.intent === 'spam' || e.disqualified === true ? ['auto_route_sales', 'auto_route_support'] : ['auto_reject_spam'];
}

type RawCase = z.infer<typeof CaseSchema>;

function toCase(c: RawCase): EvalCase {
  const { acceptable_actions, must_not, ...rest } = c.expected;
  const expected: EvalExpected = {
    ...rest,
    acceptable_actions: [...new Set([c.expected.final_action, ...(acceptable_actions ?? [])])],
    must_not: must_not ?? defaultMustNot(c.expected),
  };
  const base = { id: c.id, facts: c.facts ?? null, expected };
  const lead = CanonicalLeadSchema.safeParse({
    name: c.lead.name ?? null,
    email: c.lead.email,
    company: c.lead.company ?? null,
    website: c.lead.website ?? null,
    phone: c.lead.phone ?? null,
    message: c.lead.message,
    source: c.lead.source ?? 'eval',
    utm: { source: null, medium: null, campaign: null, term: null, content: null },
    submitted_at: c.lead.submitted_at ?? SUBMITTED_AT,
    submitter_ip: c.lead.submitter_ip ?? null,
    raw_answers: {},
  });
  if (!lead.success) return { ...base, lead: null, refused: firstIssueLine(lead.error.issues).line };
  return { ...base, lead: lead.data, refused: null };
}

/** Parses a JSONL dataset; a malformed line is one AppError naming the line and field. A lead the intake would refuse is a case, not an error. */
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
    cases.push(toCase(parsed.data));
  });
  return cases;
}

/** A set shipped in data/eval/, by name ("holdout7"). */
export function loadSet(set: string): EvalCase[] {
  const path = `data/eval/${set}.jsonl`;
  return parseDataset(readFileSync(path, 'utf8'), path);
}
