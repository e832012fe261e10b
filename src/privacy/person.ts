import { createHash } from 'node:crypto';
import { domainToUnicode } from 'node:url';
import type { Db } from '../store/db.ts';
import { slackPlaces } from './erase.ts';

export interface LeadOfPerson { id: string; created_at: string; status: string }

/** How an address is named in the audit log and in job payloads: a hash, never the address. */
export function emailHash(email: string): string {
  return createHash('sha256').update(normalizedEmail(email)).digest('hex').slice(0, 32);
}

function normalizedEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

/** The address as intake stores it (NFC, lower case), in both spellings of an internationalized domain. */
function spellings(email: string): string[] {
  const e = normalizedEmail(email);
  const at = e.lastIndexOf('@');
  if (at < 0) return [e];
  const unicode = `${e.slice(0, at)}@${domainToUnicode(e.slice(at + 1)) || e.slice(at + 1)}`;
  return [...new Set([e, unicode])];
}

/** Every lead this address submitted that is not erased yet, oldest first. */
export function leadsOfEmail(db: Db, email: string): LeadOfPerson[] {
  const forms = spellings(email);
  return db.prepare(`SELECT id, created_at, status FROM leads WHERE email IN (SELECT value FROM json_each(?)) AND status != 'erased'
    ORDER BY created_at, rowid`).all(JSON.stringify(forms)) as LeadOfPerson[];
}

export type Person =
  | { kind: 'leads'; emailHash: string; leads: LeadOfPerson[] }
  | { kind: 'erased'; leadId: string; at: string }
  | { kind: 'none'; why: string };

/** The person behind an address or one of their lead ids: every lead of that address still held. */
export function findPerson(db: Db, key: string): Person {
  const k = key.trim();
  if (k.includes('@')) {
    const leads = leadsOfEmail(db, k);
    return leads.length ? { kind: 'leads', emailHash: emailHash(k), leads } : { kind: 'none', why: 'no leads for this address' };
  }
  const row = db.prepare('SELECT email, status, updated_at FROM leads WHERE id = ?').get(k) as { email: string; status: string; updated_at: string } | undefined;
  if (!row) return { kind: 'none', why: `no lead with id ${k}` };
  if (row.status === 'erased') return { kind: 'erased', leadId: k, at: row.updated_at };
  return { kind: 'leads', emailHash: emailHash(row.email), leads: leadsOfEmail(db, row.email) };
}

/** A CRM record the lead wrote to: not deleted by lead-triage (the CRM has its own GDPR delete), only named. */
export interface CrmRecord { crm: string; contact_id: string; url: string | null }

function crmRecords(db: Db, leadId: string): CrmRecord[] {
  return (db.prepare("SELECT result_json FROM outbox WHERE lead_id = ? AND kind = 'crm_upsert_contact' AND result_json IS NOT NULL")
    .pluck().all(leadId) as string[]).map((json) => {
    const r = JSON.parse(json) as { crm?: unknown; contact_id?: unknown; url?: unknown };
    return { crm: String(r.crm ?? 'crm'), contact_id: String(r.contact_id ?? ''), url: typeof r.url === 'string' ? r.url : null };
  }).filter((r) => r.contact_id && r.crm !== 'local');
}
/** What erasing these leads will touch outside the store: Slack messages to redact, CRM records to name. */
export function describeErasure(db: Db, leadIds: readonly string[]): { slackMessages: number; crm: CrmRecord[] } {
  return {
    slackMessages: leadIds.reduce((n, id) => n + slackPlaces(db, id).length, 0),
    crm: leadIds.flatMap((id) => crmRecords(db, id)),
  };
}
