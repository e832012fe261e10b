import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { outbox } from '../../src/cli/commands/outbox.ts';
import { loadConfig } from '../../src/config/env.ts';
import { openDb } from '../../src/store/db.ts';
import { createDispatcher } from '../../src/outbox/dispatcher.ts';
import { PermanentError } from '../../src/core/upstream.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { outboxRows, seed } from './seed.ts';

describe('outbox CLI', () => {
  it('lists dead effects and retries them', async () => {
    const path = `/tmp/outbox-cli-${process.pid}-${Date.now()}.sqlite`;
    const { db, audit, leadId } = seed(['crm_upsert_contact'], { db: openDb(path) });
    const d = createDispatcher({ db, audit, logger: silentLogger(), handlers: { crm_upsert_contact: async () => { throw new PermanentError('HTTP 400\nforged line'); } } });
    await d.runOnce();
    const lines: string[] = [];
    const errs: string[] = [];
    const ctx = { config: loadConfig({ DATABASE_PATH: path }), env: {}, out: (l: string) => lines.push(l), err: (l: string) => errs.push(l) };
    expect(await outbox.run(['list', '--dead'], ctx)).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/dead\s+crm_upsert_contact\s+lead=/);
    expect(lines[0]).toContain('error: HTTP 400 forged line');
    expect(await outbox.run(['retry', 'all-dead'], ctx)).toBe(0);
    expect(lines.at(-1)).toMatch(/^1 effect queued again/);
    expect(outboxRows(db)[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(audit.trail(leadId).some((r) => r.event === 'effect_revived' && r.actor === 'cli')).toBe(true);
    expect(await outbox.run(['retry', '999'], ctx)).toBe(1);
    expect(await outbox.run(['bogus'], ctx)).toBe(2);
    db.close();
    for (const s of ['', '-wal', '-shm']) rmSync(`${path}${s}`, { force: true });
  });
});
