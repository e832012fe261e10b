import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDb } from '../../src/store/db.ts';
import { AuditLog } from '../../src/store/audit.ts';

describe('store', () => {
  it('opens a file database in WAL mode and migrations are idempotent', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-store-')), 'x.sqlite');
    const db = openDb(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const before = db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get();
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(before);
    db.close();
  });

  it('refuses to update or delete audit rows', () => {
    const db = openDb(':memory:');
    const audit = new AuditLog(db);
    const id = audit.record({ lead_id: 'ld_1', correlation_id: 'c1', stage: 'intake', event: 'received' });
    expect(() => db.prepare("UPDATE audit_log SET reason = 'x' WHERE id = ?").run(id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(id)).toThrow(/append-only/);
    expect(audit.trail('ld_1')).toHaveLength(1);
  });

  it('requires a correlation id on every audit row', () => {
    const db = openDb(':memory:');
    expect(() => db.prepare("INSERT INTO audit_log (at, stage, event, correlation_id) VALUES ('now', 's', 'e', NULL)").run()).toThrow(/NOT NULL/);
  });
});
