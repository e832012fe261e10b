import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lt-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** The CLI as an operator runs it, in its own process; runs side by side so the file stays quick. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lead-triage.js', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'usage.sqlite'), ENRICH_WEBSITE_FETCH: 'false', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('lead-triage help, version and mistakes on the command line', () => {
  it('prints help on stdout for no command, help, --help and -h, exit 0', async () => {
    const runs = await Promise.all([[], ['help'], ['--help'], ['-h']].map((a) => cli(a)));
    for (const r of runs) {
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out.split('\n')[0]).toBe('usage: lead-triage <command> [args]');
      expect(r.out).toMatch(/^ {2}eval {11}Score the classifier/m);
      expect(r.out).toMatch(/^ {2}outbox {9}list side effects not yet done/m);
      expect(r.out).toMatch(/^ {2}-v, --version {2}print the version$/m);
    }
    expect(new Set(runs.map((r) => r.out)).size).toBe(1);
  }, 60_000);

  it('prints one command\'s help on stdout for <command> --help and help <command>, even with a bad environment', async () => {
    const [flag, word, anywhere] = await Promise.all([
      cli(['outbox', '--help'], { PORT: 'abc' }),
      cli(['help', 'outbox']),
      cli(['eval', 'data/eval/leads.jsonl', '--json', '--help']),
    ]);
    expect(flag).toMatchObject({ code: 0, err: '' });
    expect(flag.out.split('\n').slice(0, 3)).toEqual([
      'usage: lead-triage outbox list [--dead] | outbox retry <id|all-dead>',
      '',
      'list side effects not yet done (--dead: dead letters only) or retry dead ones',
    ]);
    expect(flag.out).toContain('  outbox retry all-dead  the same for every dead effect');
    expect(word.out).toBe(flag.out);
    expect(anywhere).toMatchObject({ code: 0, err: '' });
    expect(anywhere.out).toContain('  --max-liar-share <0..1>    with --model liar: fail above this share of lies let through');
  }, 60_000);

  it('--version and -v print the version from package.json', async () => {
    const [long, short] = await Promise.all([cli(['--version']), cli(['-v'])]);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(long).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
    expect(short).toEqual(long);
  }, 60_000);

  it('an unknown command or option: the mistake on stderr, the usage on stdout, exit 2', async () => {
    const [command, option, topic] = await Promise.all([cli(['frobnicate']), cli(['--frob']), cli(['help', 'frobnicate'])]);
    expect(command.code).toBe(2);
    expect(command.err).toBe('lead-triage: unknown command: frobnicate\n');
    expect(command.out.split('\n')[0]).toBe('usage: lead-triage <command> [args]');
    expect(option).toMatchObject({ code: 2, err: 'lead-triage: unknown option --frob\n', out: command.out });
    expect(topic).toMatchObject({ code: 2, err: 'lead-triage: unknown command: frobnicate\n', out: command.out });
  }, 60_000);

  it('an unknown flag of a command is named, with the usage, exit 2', async () => {
    const [audit, serve] = await Promise.all([cli(['audit', '--bogus', 'x@y.example']), cli(['serve', '--port', '8080'])]);
    expect(audit).toEqual({
      code: 2, out: '',
      err: 'lead-triage audit: unknown option --bogus\nusage: lead-triage audit <lead-id|email>  (lead-triage audit --help for more)\n',
    });
    expect(serve).toEqual({ code: 2, out: '', err: 'lead-triage serve: unknown option --port\nusage: lead-triage serve  (lead-triage serve --help for more)\n' });
  }, 60_000);

  it('echoes a bad environment value, never a secret one, one line per variable', async () => {
    const secret = 'xoxp-1234-very-secret-user-token';
    const smtp = 'http://mailer:hunter2@mail.example:587';
    const r = await cli(['check-config'], { PORT: 'abc', SLACK_BOT_TOKEN: secret, SMTP_URL: smtp, LOG_LEVEL: 'verbose' });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([
      'lead-triage: environment: PORT: "abc" is not a port number (1–65535)',
      'lead-triage: environment: LOG_LEVEL: "verbose" is not a log level (fatal, error, warn, info, debug, trace or silent)',
      'lead-triage: environment: SLACK_BOT_TOKEN: the value set is not a Slack bot token (it starts with xoxb-); it is not shown because it is a secret',
      'lead-triage: environment: SMTP_URL: the value set is not an smtp:// or smtps:// URL; it is not shown because it may hold credentials',
    ]);
    expect(r.err).not.toContain('very-secret');
    expect(r.err).not.toContain('hunter2');
  }, 60_000);
});
