import { z } from 'zod';

/** Every provider's payload is normalized to this one shape before anything else reads it. */
export const CanonicalLeadSchema = z.object({
  name: z.string().max(300).nullable(),
  email: z.email().max(320).transform((e) => e.toLowerCase()),
  company: z.string().max(300).nullable(),
  website: z.string().max(2048).nullable(),
  phone: z.string().max(64).nullable(),
  message: z.string().max(20_000),
  source: z.string().max(64),
  utm: z.object({
    source: z.string().max(256).nullable(),
    medium: z.string().max(256).nullable(),
    campaign: z.string().max(256).nullable(),
    term: z.string().max(256).nullable(),
    content: z.string().max(256).nullable(),
  }),
  /** ISO-8601 instant at which the prospect submitted the form. */
  submitted_at: z.iso.datetime({ offset: true }),
  /** Submitter's IP as reported by the form vendor, when it reports one. */
  submitter_ip: z.string().max(64).nullable(),
  /** The vendor's answers exactly as received, keyed by the vendor's field label or ref. */
  raw_answers: z.record(z.string(), z.unknown()),
});
export type CanonicalLead = z.infer<typeof CanonicalLeadSchema>;

export const PROVIDERS = ['typeform', 'tally', 'webflow', 'formspree', 'hubspot', 'generic'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The domain part of the lead's email, lower-cased. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
