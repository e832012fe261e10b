import { z } from 'zod';
import { textOf } from './fields.ts';
import { buildLead, shapeError, type NormalizeResult } from './build.ts';

const Property = z.union([z.looseObject({ value: z.unknown() }), z.string(), z.number(), z.boolean(), z.null()]);
const FormSubmission = z.looseObject({
  'conversion-id': z.string().max(200).optional(),
  timestamp: z.number().optional(),
  'form-id': z.string().optional(),
  'page-url': z.string().optional(),
  title: z.string().optional(),
});
const HubspotBody = z.object({
  vid: z.number().optional(),
  'portal-id': z.number().optional(),
  properties: z.record(z.string(), Property),
  'form-submissions': z.array(FormSubmission).optional(),
});

/**
 * HubSpot workflow "Send a webhook" action with "Include all contact properties": the contact record in the
 * classic shape, `properties.<name>.value`, plus `form-submissions[]`. (A customised body of flat
 * `properties.<name>: value` is read too.) Properties are mapped by their internal names, not guessed,
 * because a contact carries hundreds of HubSpot-owned properties whose labels would mislead the heuristics.
 * The event id is the latest form submission's conversion-id: the workflow re-fires per contact, not per form.
 */
export function normalizeHubspot(body: unknown, nowMs: number): NormalizeResult {
  const parsed = HubspotBody.safeParse(body);
  if (!parsed.success) return shapeError(parsed.error.issues);
  const props: Record<string, string> = {};
  for (const [name, p] of Object.entries(parsed.data.properties)) {
    const text = textOf(p !== null && typeof p === 'object' ? p.value : p);
    if (text !== null) props[name] = text;
  }
  const latest = [...(parsed.data['form-submissions'] ?? [])].sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
  const first = props.firstname;
  const last = props.lastname;
  return buildLead(
    {
      answers: [],
      explicit: {
        email: props.email,
        name: [first, last].filter(Boolean).join(' ') || undefined,
        company: props.company,
        website: props.website,
        phone: props.phone ?? props.mobilephone,
        message: props.message,
        utm_source: props.utm_source,
        utm_medium: props.utm_medium,
        utm_campaign: props.utm_campaign,
        utm_term: props.utm_term,
        utm_content: props.utm_content,
      },
      submittedAt: latest?.timestamp ?? props.createdate,
      eventId: latest?.['conversion-id'] ?? null,
      source: 'hubspot',
      rawExtra: { properties: props, _vid: parsed.data.vid ?? null, _form_submission: latest ?? null },
    },
    nowMs,
  );
}
