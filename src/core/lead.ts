import { domainToASCII } from 'node:url';
import { z } from 'zod';

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * An address a person can receive mail at, internationalized ones included (RFC 6531: `jörg@müller-gmbh.de`):
 * a local part without spaces, quotes or brackets, and a domain that converts to a valid ASCII hostname.
 */
export function isEmailAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const local = email.slice(0, at);
  if (local.length > 64 || /[\s<>()[\]\\,;:"@\p{Cc}]/u.test(local) || /^\.|\.$|\.\./.test(local)) return false;
  return HOSTNAME.test(domainToASCII(email.slice(at + 1).toLowerCase()));
}

/** Every provider's payload is normalized to this one shape before anything else reads it. */
export const CanonicalLeadSchema = z.object({
  name: z.string().max(300).nullable(),
  email: z.string().trim().max(320).refine(isEmailAddress, 'Invalid email address').transform((e) => e.normalize('NFC').toLowerCase()),
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

/** The domain part of the lead's email, lower-cased, in its ASCII (punycode) form: what DNS, lists and CRMs know it by. */
export function emailDomain(email: string): string {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domainToASCII(domain) || domain;
}
