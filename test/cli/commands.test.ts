import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/cli/commands/audit.ts';
import { checkConfig } from '../../src/cli/commands/check-config.ts';
import { evalCommand } from '../../src/cli/commands/eval.ts';
import { outbox } from '../../src/cli/commands/outbox.ts';
import { policySchema } from '../../src/cli/commands/policy-schema.ts';
import { reprocess } from '../../src/cli/commands/reprocess.ts';
import { serve } from '../../src/cli/commands/serve.ts';
import type { Command } from '../../src/cli/command.ts';
import { openDb } from '../../src/store/db.ts';
import { seed } from '../outbox/seed.ts';
import { runCommand } from '../helpers/command.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A command run in-process against a database in the temp dir, with what it printed. */
const run = (command: Command, args: string[], env: Record<string, string> = {}) =>
  runCommand(command, args, { DATABASE_PATH: join(dir, 'cli.sqlite'), ENRICH_WEBSITE_FETCH: 'false', ...env });

describe('CLI commands parse their flags with parseArgs', () => {
  it('refuses an unknown flag in every command, before doing anything, exit 2', async () => {
    for (const [command, args] of [
      [serve, ['--daemon']], [checkConfig, ['--verbose']], [policySchema, ['--out', 'x.json']], [audit, ['ld_1', '--full']],
      [reprocess, ['--force', 'ld_1']], [outbox, ['list', '--deed']], [evalCommand, ['data/eval/leads.jsonl', '--modle', 'liar']],
    ] as const) {
      const r = await run(command, [...args]);
      const flag = args.find((a) => a.startsWith('--'));
      expect({ name: command.name, ...r }).toEqual({
        name: command.name, code: 2, out: [],
        err: [`lead-triage ${command.name}: unknown option ${flag}`, `usage: lead-triage ${command.usage}  (lead-triage ${command.name} --help for more)`],
      });
    }
  });

  it('names a missing argument, an extra one and a flag without its value', async () => {
    expect((await run(audit, [])).err[0]).toBe('lead-triage audit: missing <lead-id|email>');
    expect((await run(reprocess, ['a@b.example', 'c@d.example'])).err[0]).toBe('lead-triage reprocess: unexpected argument "c@d.example"');
    expect((await run(evalCommand, ['data/eval/leads.jsonl', '--model'])).err[0]).toBe('lead-triage eval: --model needs a value');
    expect((await run(evalCommand, ['data/eval/leads.jsonl', '--json=yes'])).err[0]).toBe('lead-triage eval: --json takes no value');
    expect((await run(evalCommand, ['data/eval/leads.jsonl', '--min-accuracy', 'high'])).err[0]).toBe('lead-triage eval: --min-accuracy "high" is not a rate from 0 to 1');
    expect((await run(evalCommand, ['data/eval/leads.jsonl', '--max-unsafe', '1.5'])).err[0]).toBe('lead-triage eval: --max-unsafe "1.5" is not a whole number of 0 or more');
    expect((await run(evalCommand, ['data/eval/leads.jsonl', '--model', 'oracle'])).err[0]).toBe('lead-triage eval: --model "oracle" is not one of honest, liar');
    expect((await run(outbox, ['retry', '--dead', '3'])).err[0]).toBe('lead-triage outbox: --dead only applies to outbox list');
    expect((await run(outbox, ['retry', 'seven'])).err[0]).toBe('lead-triage outbox: "seven" is neither an effect id (a positive whole number) nor all-dead');
    expect((await run(outbox, ['purge'])).err[0]).toBe('lead-triage outbox: unknown subcommand "purge"');
  });
});

describe('CLI errors name what does not exist', () => {
  it('outbox retry: no such effect, or an effect that is not dead, each said as it is', async () => {
    const path = join(dir, 'outbox.sqlite');
    const { db } = seed(['crm_upsert_contact'], { db: openDb(path) });
    const pendingId = db.prepare('SELECT id FROM outbox').pluck().get() as number;
    db.close();
    expect(await run(outbox, ['retry', '99999'], { DATABASE_PATH: path })).toEqual({ code: 1, out: [], err: ['lead-triage outbox: no outbox effect 99999'] });
    expect(await run(outbox, ['retry', String(pendingId)], { DATABASE_PATH: path })).toEqual({
      code: 1, out: [], err: [`lead-triage outbox: outbox effect ${pendingId} is pending, not dead: only dead effects are retried`],
    });
    expect(await run(outbox, ['retry', 'all-dead'], { DATABASE_PATH: path })).toEqual({ code: 1, out: [], err: ['lead-triage outbox: no dead effects to retry'] });
  });

  it('audit and reprocess: an unknown lead by id or email, and a database that does not exist (not created)', async () => {
    const path = join(dir, 'leads.sqlite');
    openDb(path).close();
    expect(await run(audit, ['ld_nope'], { DATABASE_PATH: path })).toEqual({ code: 1, out: [], err: [`lead-triage audit: no lead with id ld_nope in ${path}`] });
    expect(await run(audit, ['ghost@nowhere.example'], { DATABASE_PATH: path })).toEqual({ code: 1, out: [], err: [`lead-triage audit: no lead with email ghost@nowhere.example in ${path}`] });
    expect(await run(reprocess, ['ld_nope'], { DATABASE_PATH: path })).toEqual({ code: 1, out: [], err: [`lead-triage reprocess: no lead with id ld_nope in ${path}`] });
    const missing = join(dir, 'typo', 'lead-triage.sqlite');
    expect(await run(audit, ['ld_nope'], { DATABASE_PATH: missing })).toEqual({
      code: 1, out: [], err: [`lead-triage audit: no database at ${missing} (set DATABASE_PATH to the server's database; the server creates it on first start)`],
    });
    expect((await run(outbox, ['list'], { DATABASE_PATH: missing })).err).toEqual([`lead-triage outbox: no database at ${missing} (set DATABASE_PATH to the server's database; the server creates it on first start)`]);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('eval on submissions without labels says which fields are missing and where the format is', async () => {
    const file = join(dir, 'submissions.jsonl');
    writeFileSync(file, `// replayed from the website\n${JSON.stringify({ email: 'ana@example.com', message: 'Pricing for 20 seats?' })}\n`);
    expect(await run(evalCommand, [file])).toEqual({
      code: 2, out: [],
      err: [`lead-triage eval: ${file}:2: no "id", "lead" or "expected" on this line: an eval case needs "id", the submission under "lead" and its labels under "expected" (intent, final_action); this looks like a form submission, which \`lead-triage ingest\` replays. The line format is in data/eval/README.md`],
    });
    writeFileSync(file, JSON.stringify({ id: 'a', lead: { email: 'ana@example.com', message: 'Pricing?' } }));
    expect((await run(evalCommand, [file])).err).toEqual([
      `lead-triage eval: ${file}:1: no "expected" on this line: an eval case needs "id", the submission under "lead" and its labels under "expected" (intent, final_action). The line format is in data/eval/README.md`,
    ]);
    writeFileSync(file, JSON.stringify({ id: 'a', lead: { email: 'ana@example.com', message: 'Pricing?' }, expected: { intent: 'shopping', final_action: 'human_review' } }));
    expect((await run(evalCommand, [file])).err[0]).toMatch(new RegExp(`^lead-triage eval: ${file}:1: expected\\.intent: .* \\(the line format is in data/eval/README\\.md\\)$`));
    expect(await run(evalCommand, [join(dir, 'nope.jsonl')])).toEqual({ code: 2, out: [], err: [`lead-triage eval: no dataset file ${join(dir, 'nope.jsonl')}`] });
  });
});
