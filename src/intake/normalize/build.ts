import { CanonicalLeadSchema, type CanonicalLead } from '../../core/lead.ts';
import { firstIssueLine } from '../../core/errors.ts';
import { clipText } from '../../core/text.ts';
import { pickFields, rawAnswers, type Answer, type Picked } from './fields.ts';

export type NormalizeResult =
  | { ok: true; lead: CanonicalLead; eventId: string | null }
  | { ok: false; field: string; message: string };

export interface LeadParts {
  answers: readonly Answer[];
  /** Explicit values that override what the heuristics picked (e.g. a vendor's dedicated email property). */
  explicit?: Picked;
  submittedAt: unknown;
  submitterIp?: string | null;
  eventId?: string | null;
  source: string;
  /** Extra raw data worth keeping next to the answers (form id, hidden fields, vendor meta). */
  rawExtra?: Record<string, unknown>;
}

const clip = (v: string | undefined, max: number): string | null => (v === undefined ? null : clipText(v, max));

/** ISO-8601 of the vendor's timestamp (ISO string or epoch ms/s), or of `nowMs` when it has none we can read. */
export function isoInstant(value: unknown, nowMs: number): string {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d+$/.test(value)) ms = Number(value) < 1e12 ? Number(value) * 1000 : Number(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  return new Date(Number.isFinite(ms) ? ms : nowMs).toISOString();
}

/**
 * Assembles and validates the CanonicalLead. Free-text fields are clipped to the schema's limits rather than
 * rejected (a vendor would not resend a shorter form); a missing or malformed email is a 400 naming `email`.
 */
export function buildLead(parts: LeadParts, nowMs: number): NormalizeResult {
  const p: Picked = { ...pickFields(parts.answers), ...stripUndefined(parts.explicit ?? {}) };
  const fullName = p.name ?? ([p.first_name, p.last_name].filter(Boolean).join(' ') || undefined);
  const candidate = {
    name: clip(fullName, 300),
    email: p.email?.trim(),
    company: clip(p.company, 300),
    website: clip(p.website, 2048),
    phone: clip(p.phone, 64),
    message: clipText(p.message ?? '', 20_000),
    source: clipText(parts.source, 64),
    utm: {
      source: clip(p.utm_source, 256),
      medium: clip(p.utm_medium, 256),
      campaign: clip(p.utm_campaign, 256),
      term: clip(p.utm_term, 256),
      content: clip(p.utm_content, 256),
    },
    submitted_at: isoInstant(parts.submittedAt, nowMs),
    submitter_ip: clip(parts.submitterIp ?? undefined, 64),
    raw_answers: { ...rawAnswers(parts.answers), ...(parts.rawExtra ?? {}) },
  };
  const parsed = CanonicalLeadSchema.safeParse(candidate);
  if (!parsed.success) {
    const { field, line } = firstIssueLine(parsed.error.issues);
    return { ok: false, field, message: line };
  }
  return { ok: true, lead: parsed.data, eventId: parts.eventId ?? null };
}

function stripUndefined(p: Picked): Picked {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== '')) as Picked;
}

/** A vendor-shape failure, reported with the vendor's field path. */
export function shapeError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): NormalizeResult {
  const { field, line } = firstIssueLine(issues);
  return { ok: false, field, message: line };
}
