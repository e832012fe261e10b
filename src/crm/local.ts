import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { nowIso } from '../store/db.ts';
import type { Crm, CrmCompany, CrmContact, CrmTaskInput, CrmWrite, OwnerAssignment } from './types.ts';
import { writableOnly } from './properties.ts';

interface ContactRow { id: string; email: string; owner: string | null; lifecycle_stage: string | null; properties_json: string }

/** The embedded CRM: SQLite tables from migration 002. Every write is idempotent by a unique key. */
export function createLocalCrm(db: Db, opts: { lifecycleStage?: string } = {}): Crm {
  const contactById = db.prepare('SELECT id, email, owner, lifecycle_stage, properties_json FROM crm_contacts WHERE id = ?');
  const contactByEmail = db.prepare('SELECT id, email, owner, lifecycle_stage, properties_json FROM crm_contacts WHERE email = ?');

  function toContact(row: ContactRow): CrmContact {
    const props = JSON.parse(row.properties_json) as Record<string, string>;
    return { id: row.id, email: row.email, lifecycle_stage: row.lifecycle_stage, owner_id: row.owner, open_deals: 0, lead_status: props['hs_lead_status'] ?? null };
  }

  function requireContact(id: string): ContactRow {
    const row = contactById.get(id) as ContactRow | undefined;
    if (!row) throw new Error(`local crm: no contact ${id}`);
    return row;
  }

  const insertNote = db.prepare('INSERT INTO crm_notes (id, contact_id, dedupe_key, body, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING');
  function addNoteSync(contactId: string, body: string, dedupeKey: string): CrmWrite {
    requireContact(contactId);
    const id = randomUUID();
    const info = insertNote.run(id, contactId, dedupeKey, body, nowIso());
    if (info.changes > 0) return { id, created: true };
    return { id: db.prepare('SELECT id FROM crm_notes WHERE dedupe_key = ?').pluck().get(dedupeKey) as string, created: false };
  }

  return {
    name: 'local',
    async findContactByEmail(email) {
      const row = contactByEmail.get(email.toLowerCase()) as ContactRow | undefined;
      return row ? toContact(row) : null;
    },
    async findCompanyByDomain(domain) {
      const row = db.prepare(`SELECT id, domain, name, industry, employee_count, country, description, lifecycle_stage, open_deals, owner AS owner_id
        FROM crm_companies WHERE domain = ?`).get(domain.toLowerCase()) as CrmCompany | undefined;
      return row ?? null;
    },
    async upsertContact(email, properties) {
      const props = writableOnly(properties);
      return db.transaction((): CrmWrite => {
        const existing = contactByEmail.get(email.toLowerCase()) as ContactRow | undefined;
        const now = nowIso();
        if (existing) {
          // Merge: properties we do not map are left exactly as a human set them.
          const merged = { ...(JSON.parse(existing.properties_json) as Record<string, string>), ...props };
          db.prepare('UPDATE crm_contacts SET properties_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(merged), now, existing.id);
          return { id: existing.id, created: false };
        }
        const id = randomUUID();
        db.prepare('INSERT INTO crm_contacts (id, email, properties_json, owner, lifecycle_stage, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?)')
          .run(id, email.toLowerCase(), JSON.stringify(props), opts.lifecycleStage ?? 'lead', now, now);
        return { id, created: true };
      }).immediate();
    },
    async addNote(contactId, body, dedupeKey) {
      return addNoteSync(contactId, body, dedupeKey);
    },
    async createTask(input: CrmTaskInput) {
      requireContact(input.contactId);
      const id = randomUUID();
      const info = db.prepare(`INSERT INTO crm_tasks (id, contact_id, dedupe_key, subject, owner_hint, due_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`)
        .run(id, input.contactId, input.dedupeKey, input.subject, input.ownerHint, input.due.toISOString(), nowIso());
      if (info.changes > 0) return { id, created: true };
      return { id: db.prepare('SELECT id FROM crm_tasks WHERE dedupe_key = ?').pluck().get(input.dedupeKey) as string, created: false };
    },
    async assignOwner(contactId, claim, dedupeKey): Promise<OwnerAssignment> {
      const { slackUserId } = claim;
      return db.transaction((): OwnerAssignment => {
        // The embedded CRM's owners are Slack users, so the claimer becomes the owner: only if none is set,
        // or the one set is what this app set for an earlier claim of the lead (a Reassign).
        db.prepare('UPDATE crm_contacts SET owner = ?, updated_at = ? WHERE id = ? AND (owner IS NULL OR owner = ?)')
          .run(slackUserId, nowIso(), contactId, claim.replaceableOwnerId ?? null);
        // A re-run of the same claim reports the owner it set the first time.
        const current = requireContact(contactId).owner;
        const head = claim.headline ?? `Claimed in Slack by user ${slackUserId}`;
        if (current === slackUserId) return { owner_id: slackUserId, unchanged: null, note: addNoteSync(contactId, `${head}.`, dedupeKey) };
        const detail = `contact already owned by ${current}`;
        const note = addNoteSync(contactId, `${head}. Owner unchanged: ${detail}.`, dedupeKey);
        return { owner_id: null, unchanged: { reason: 'owned_by_other', detail, current_owner: { id: current ?? '', label: current ?? '' } }, note };
      })();
    },
  };
}
