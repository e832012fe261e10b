import { z } from 'zod';
import type { Answer } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const text = (max: number) => z.string().max(max).optional();
const utmShape = { source: text(256), medium: text(256), campaign: text(256), term: text(256), content: text(256) };

/**
 * The generic endpoint's documented body (POST /webhooks/generic, signed with `X-Signature: t=…,v1=…`):
 * {
 *   "event_id"?: string,            // your submission id; repeats are answered `duplicate`
 *   "email": string,                // required
 *   "name"?, "first_name"?, "last_name"?, "company"?, "website"?, "phone"?, "message"?: string,
 *   "submitted_at"?: ISO-8601,      // default: time of receipt
 *   "submitter_ip"?: string,        // the prospect's IP, for the per-IP submitter limit
 *   "utm"?: { source?, medium?, campaign?, term?, content? }  (or flat utm_source … utm_content)
 *   "fields"?: { <label>: value }   // any other answers, kept verbatim
 * }
 * Unknown top-level keys are kept in raw_answers too.
 */
export const GenericSubmissionSchema = z.looseObject({
  event_id: z.string().min(1).max(200).optional(),
  email: z.string({ error: 'email is required' }),
  name: text(300),
  first_name: text(150),
  last_name: text(150),
  company: text(300),
  website: text(2048),
  phone: text(64),
  message: z.string().max(20_000).optional(),
  submitted_at: z.iso.datetime({ offset: true }).optional(),
  submitter_ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  utm: z.object(utmShape).optional(),
  utm_source: utmShape.source,
  utm_medium: utmShape.medium,
  utm_campaign: utmShape.campaign,
  utm_term: utmShape.term,
  utm_content: utmShape.content,
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type GenericSubmission = z.infer<typeof GenericSubmissionSchema>;

const KNOWN = new Set(Object.keys(GenericSubmissionSchema.shape));

export function normalizeGeneric(body: unknown, nowMs: number): NormalizeResult {
  const parsed = GenericSubmissionSchema.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const b = parsed.data;
  const extra = Object.entries(b).filter(([k]) => !KNOWN.has(k));
  const answers: Answer[] = Object.entries(b.fields ?? {}).map(([label, value]) => ({ label, value }));
  return buildLead(
    {
      answers,
      explicit: {
        email: b.email,
        name: b.name ?? ([b.first_name, b.last_name].filter(Boolean).join(' ') || undefined),
        company: b.company,
        website: b.website,
        phone: b.phone,
        message: b.message,
        utm_source: b.utm?.source ?? b.utm_source,
        utm_medium: b.utm?.medium ?? b.utm_medium,
        utm_campaign: b.utm?.campaign ?? b.utm_campaign,
        utm_term: b.utm?.term ?? b.utm_term,
        utm_content: b.utm?.content ?? b.utm_content,
      },
      submittedAt: b.submitted_at,
      submitterIp: b.submitter_ip ?? null,
      eventId: b.event_id ?? null,
      source: 'generic',
      rawExtra: Object.fromEntries(extra),
    },
    nowMs,
  );
}
