import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/store/audit.ts';
import { migrate, openDb } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

describe('the audit log seals a lead\'s free text with the lead\'s key', () => {
  it('stores reason and output sealed, opens them in the trail, and reads "erased" once the key is shredded', () => {
    const db = openDb(':memory:');
    const audit = new AuditLog(db);
    audit.record({ lead_id: 'ld_1', correlation_id: 'c1', stage: 'classify', event: 'classified', reason: 'Greta wants 40 seats', output: { summary: 'Greta Holm, CFO' }, tokens_in: 900, cost_usd: 0.004 });
    audit.record({ lead_id: null, correlation_id: 'c2', stage: 'policy', event: 'policy_reloaded', reason: 'file changed', output: { to: 'abc' } });
    const raw = db.prepare('SELECT lead_id, reason, output_json FROM audit_log ORDER BY id').all() as Array<{ lead_id: string | null; reason: string; output_json: string }>;
    expect(raw[0]!.reason).toMatch(/^sealed:v1:/);
    expect(raw[0]!.output_json).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(raw[0])).not.toContain('Greta');
    // A row about the system, not a lead, is plain.
    expect(raw[1]).toEqual({ lead_id: null, reason: 'file changed', output_json: '{"to":"abc"}' });

    expect(audit.trail('ld_1')[0]).toMatchObject({ reason: 'Greta wants 40 seats', output_json: '{"summary":"Greta Holm, CFO"}', erased: false, tokens_in: 900 });
    audit.seal.shred('ld_1');
    expect(audit.trail('ld_1')[0]).toMatchObject({ reason: 'erased', output_json: null, erased: true, tokens_in: 900, cost_usd: 0.004 });
    // After the shred nothing personal can be written for that lead: its fields are left empty.
    audit.record({ lead_id: 'ld_1', correlation_id: 'c1', stage: 'act', event: 'effect_dead', reason: 'Greta again' });
    expect(db.prepare("SELECT reason FROM audit_log WHERE event = 'effect_dead'").pluck().get()).toBeNull();
  });

  it('does not open a sealed field moved onto another lead\'s row (the lead id is authenticated)', () => {
    const db = openDb(':memory:');
    const audit = new AuditLog(db);
    audit.record({ lead_id: 'ld_a', correlation_id: 'c', stage: 's', event: 'e', reason: 'secret of a' });
    audit.record({ lead_id: 'ld_b', correlation_id: 'c', stage: 's', event: 'e', reason: 'of b' });
    const sealedA = db.prepare("SELECT reason FROM audit_log WHERE lead_id = 'ld_a'").pluck().get() as string;
    expect(() => audit.seal.open('ld_b', sealedA)).toThrow();
  });

  it('refuses free text in the plain columns: a person\'s words cannot land where sealing does not reach', () => {
    const audit = new AuditLog(openDb(':memory:'));
    expect(() => audit.record({ lead_id: 'ld_1', correlation_id: 'c', stage: 'act', event: 'x', decision: 'Greta Holm <greta@holm.example>' })).toThrow(/not a machine word/);
    expect(() => audit.record({ lead_id: 'ld_1', correlation_id: 'c', stage: 'act', event: 'x', actor: 'greta@holm.example' })).toThrow(/not a machine word/);
    expect(() => audit.record({ lead_id: 'ld_1', correlation_id: 'c', stage: 'act', event: 'x', rules: ['free mail, sadly'] })).toThrow(/not a machine word/);
  });

  it('migration 9 seals the rows an older store wrote in the clear, keeps their rule ids, and keeps the log append-only', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version < 9)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }
    const insert = db.prepare(`INSERT INTO audit_log (at, lead_id, correlation_id, stage, event, reason, output_json, tokens_in) VALUES ('2026-01-01T00:00:00Z', ?, 'c', ?, ?, ?, ?, ?)`);
    insert.run('ld_old', 'precheck', 'precheck', 'free-mail address', JSON.stringify({ verdict: 'continue', rules: [{ rule: 'free_mail', reason: 'free-mail address ana@gmail.com' }] }), null);
    insert.run('ld_old', 'classify', 'classified', 'Ana wants a demo', '{"summary":"Ana"}', 1200);
    insert.run(null, 'policy', 'policy_reloaded', null, '{"to":"x"}', null);
    migrate(db);
    const rows = db.prepare('SELECT lead_id, rules, reason, output_json, tokens_in FROM audit_log ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({ rules: 'free_mail', reason: expect.stringMatching(/^sealed:v1:/) });
    expect(rows[1]).toMatchObject({ rules: null, tokens_in: 1200, output_json: expect.stringMatching(/^sealed:v1:/) });
    expect(rows[2]).toMatchObject({ lead_id: null, output_json: '{"to":"x"}' });
    const audit = new AuditLog(db);
    expect(audit.trail('ld_old').map((r) => r.reason)).toEqual(['free-mail address', 'Ana wants a demo']);
    expect(() => db.prepare("UPDATE audit_log SET reason = 'x'").run()).toThrow(/append-only/);
  });
});
