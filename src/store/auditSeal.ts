import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a personal field of an erased lead reads as. */
export const ERASED = 'erased';

export const isSealed = (text: string | null): boolean => text !== null && text.startsWith(PREFIX);

/**
 * Crypto-shredding for the audit log's personal fields (`reason`, `output_json`). Each lead has its own AES-256-GCM
 * key in `audit_keys`, a table that is not append-only; erasing a lead deletes its key, and every sealed field of
 * its rows becomes unreadable while the rows themselves (ids, stages, events, rules, figures) stay as written.
 * The lead id is the authenticated data, so a sealed field copied onto another lead's row does not open.
 */
export class AuditSeal {
  private readonly readKey;
  private readonly createKey;
  private readonly shredKey;

  constructor(db: Db) {
    this.readKey = db.prepare('SELECT key FROM audit_keys WHERE lead_id = ?');
    this.createKey = db.readonly ? null : db.prepare('INSERT INTO audit_keys (lead_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT (lead_id) DO NOTHING');
    this.shredKey = db.readonly ? null : db.prepare(`INSERT INTO audit_keys (lead_id, key, created_at, erased_at) VALUES (@lead, NULL, @at, @at)
      ON CONFLICT (lead_id) DO UPDATE SET key = NULL, erased_at = coalesce(audit_keys.erased_at, @at)`);
  }

  /** The lead's key, created on first use; null once the lead is erased. */
  private keyFor(leadId: string, create: boolean): Buffer | null | undefined {
    let row = this.readKey.get(leadId) as { key: Buffer | null } | undefined;
    if (!row && create && this.createKey) {
      this.createKey.run(leadId, randomBytes(32), new Date().toISOString());
      row = this.readKey.get(leadId) as { key: Buffer | null };
    }
    return row ? row.key : undefined;
  }

  /**
   * Seals the personal fields of one of a lead's rows, with one read of its key; each null when the lead is already
   * erased (nothing personal is written) or the field is empty.
   */
  seal<T extends Array<string | null>>(leadId: string, ...texts: T): { [K in keyof T]: string | null } {
    const key = texts.some((t) => t !== null) ? this.keyFor(leadId, true) : null;
    return texts.map((text) => (text === null || !key ? null : this.encrypt(key, leadId, text))) as { [K in keyof T]: string | null };
  }

  private encrypt(key: Buffer, leadId: string, text: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(leadId, 'utf8'));
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The field as written, or ERASED when its lead's key is gone. Fields written before sealing existed are returned as they are. */
  open(leadId: string, text: string | null): string | null {
    if (text === null || !isSealed(text)) return text;
    const key = this.keyFor(leadId, false);
    if (!key) return ERASED;
    const raw = Buffer.from(text.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(leadId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** Forgets the lead's key: its sealed fields can never be read again. Idempotent. */
  shred(leadId: string, at = new Date().toISOString()): void {
    this.shredKey?.run({ lead: leadId, at });
  }
}
