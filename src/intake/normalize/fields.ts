/**
 * Label/type heuristics that map a vendor's answers onto CanonicalLead fields.
 * Every answer is also kept verbatim in raw_answers, so a wrong guess loses nothing.
 */
export type Role =
  | 'email' | 'name' | 'first_name' | 'last_name' | 'company' | 'website' | 'phone' | 'message'
  | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content';

export interface Answer {
  /** The vendor's field label (or key, when it has no label). */
  label: string;
  /** A role the vendor's field type states outright (an email field, a phone field, a long-text field). */
  typeHint?: Role;
  value: unknown;
}

const COMPANY_NOT = /\b(size|employees|headcount|industry|revenue|type|role|title|email|website|url|domain|phone)\b/;

// Order matters: "company website" is a website, "company name" a company, "first name" not a full name.
const RULES: ReadonlyArray<readonly [Role, RegExp]> = [
  ['utm_source', /^utm source$/],
  ['utm_medium', /^utm medium$/],
  ['utm_campaign', /^utm campaign$/],
  ['utm_term', /^utm term$/],
  ['utm_content', /^utm content$/],
  ['email', /\b(e ?mail|email address|replyto|reply to)\b/],
  ['website', /\b(website|web site|homepage|url|domain|company site)\b/],
  ['phone', /\b(phone|phone number|mobile|mobilephone|telephone|tel|cell)\b/],
  ['first_name', /\b(first ?name|given ?name|forename)\b/],
  ['last_name', /\b(last ?name|surname|family ?name)\b/],
  ['company', /\b(company|company ?name|organi[sz]ation|business|employer|org)\b/],
  ['name', /\b(name|full ?name|your ?name|contact ?name)\b/],
  ['message', /\b(message|comments?|how can we help|questions?|inquiry|enquiry|details|description|tell us|anything else|notes?|requirements?|what do you need)\b/],
];

export function normalizeLabel(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

export function roleOfLabel(label: string): Role | null {
  const norm = normalizeLabel(label);
  for (const [role, re] of RULES) {
    if (!re.test(norm)) continue;
    if (role === 'company' && COMPANY_NOT.test(norm)) continue;
    return role;
  }
  return null;
}

/** Turns an answer value into display text: lists are joined, choice objects give their label. */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((v): v is string => v !== null);
    return parts.length ? parts.join(', ') : null;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.label === 'string') return o.label.trim() || null;
    if (Array.isArray(o.labels)) return textOf(o.labels);
    if (typeof o.value === 'string' || typeof o.value === 'number') return textOf(o.value);
  }
  return null;
}

export type Picked = Partial<Record<Role, string>>;

/**
 * Assigns each role to the first answer that claims it. A vendor's field type beats a label guess;
 * an "email" answer without an @ (an opt-in checkbox labelled "Email me") is not the address.
 */
export function pickFields(answers: readonly Answer[]): Picked {
  const picked: Picked = {};
  const assign = (role: Role, text: string) => {
    if (picked[role] !== undefined) return;
    if (role === 'email' && !text.includes('@')) return;
    picked[role] = text;
  };
  for (const a of answers) {
    const text = textOf(a.value);
    if (text && a.typeHint && a.typeHint !== 'message') assign(a.typeHint, text);
  }
  for (const a of answers) {
    const text = textOf(a.value);
    const role = roleOfLabel(a.label);
    if (text && role) assign(role, text);
  }
  // A long-text field is the message when no field is labelled as one.
  for (const a of answers) {
    const text = textOf(a.value);
    if (text && a.typeHint === 'message') assign('message', text);
  }
  return picked;
}

/** The vendor's answers keyed by label; repeated labels get a numeric suffix rather than overwriting. */
export function rawAnswers(answers: readonly Answer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of answers) {
    let key = a.label || '(unlabelled)';
    for (let i = 2; Object.hasOwn(out, key); i++) key = `${a.label} (${i})`;
    out[key] = a.value;
  }
  return out;
}
