import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-cli-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/lead-triage.js', ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'cli.sqlite'), ENRICH_WEBSITE_FETCH: 'false', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npx lead-triage', () => {
  it('check-config says what runs embedded, and names the bad field of a bad policy in one line', () => {
    const ok = cli(['check-config']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok: policy data\/policy.json \(version .*, hash [0-9a-f]{16}\)/);
    expect(ok.out).toContain('embedded default: classifier: offline (no ANTHROPIC_API_KEY)');

    const bad = join(dir, 'bad-policy.json');
    writeFileSync(bad, readFileSync('data/policy.json', 'utf8').replace('"max_actions_per_run": 6', '"max_actions_per_run": -1'));
    const refused = cli(['check-config'], { POLICY_PATH: bad });
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split('\n')).toEqual([`lead-triage check-config: ${bad}: constraints.max_actions_per_run: Too small: expected number to be >=0`]);

    const badEnv = cli(['check-config'], { CLASSIFIER_MODEL: '' , HUBSPOT_BASE_URL: 'not a url' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toMatch(/^lead-triage: environment: HUBSPOT_BASE_URL: /);
  });

  it('check-config refuses what start-up refuses (a missing email template), and half-configured Slack, with the same line', () => {
    const policy = join(dir, 'no-template.json');
    writeFileSync(policy, readFileSync('data/policy.json', 'utf8').replace('"template": "ack-default"', '"template": "ack-gone"'));
    const checked = cli(['check-config'], { POLICY_PATH: policy });
    expect(checked.code).toBe(2);
    const line = `${policy}: email.template: email template ${join(process.cwd(), 'data/templates/email/ack-gone.txt')} not found`;
    expect(checked.err).toContain(line);
    const served = cli(['serve'], { POLICY_PATH: policy, PORT: '0' });
    expect(served.code).not.toBe(0);
    expect(served.err).toContain(line);

    const half = cli(['check-config'], { SLACK_BOT_TOKEN: 'xoxb-1-half' });
    expect(half.code).toBe(2);
    expect(half.err).toContain('half-configured: Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP)');
  });

  it('reads .env from the working directory; a variable set in the shell wins', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lt-dotenv-'));
    try {
      writeFileSync(join(cwd, '.env'), `PORT=abc\nPOLICY_PATH=${join(process.cwd(), 'data/policy.json')}\n`);
      const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(process.cwd(), 'bin/lead-triage.js'), 'check-config'], {
        cwd, env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(cwd, 'x.sqlite'), ...env }, encoding: 'utf8', timeout: 60_000,
      });
      const fromFile = run({});
      expect(fromFile.status).toBe(2);
      expect(fromFile.stderr).toContain('PORT: "abc" is not a port number');
      const shellWins = run({ PORT: '3999' });
      expect(shellWins.status).toBe(0);
      expect(shellWins.stdout).toMatch(/^ok: policy /);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('ingest replays a file through the pipeline with progress, and audit prints the trail', () => {
    const file = join(dir, 'leads.jsonl');
    writeFileSync(file, [
      JSON.stringify({ event_id: 'cli-1', email: 'ana@bigcorp.example', company: 'BigCorp', message: 'We need pricing for 50 seats and a demo this month.' }),
      'not json',
      JSON.stringify({ event_id: 'cli-2', message: 'no email here' }),
      JSON.stringify({ event_id: 'cli-1', email: 'ana@bigcorp.example', company: 'BigCorp', message: 'We need pricing for 50 seats and a demo this month.' }),
    ].join('\n'));
    const r = cli(['ingest', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stored: 1 new, 1 duplicate, 2 rejected');
    expect(r.err).toContain('line 2: not valid JSON');
    expect(r.err).toMatch(/line 3: 400 payload_invalid \(email\)/);
    expect(r.err).toContain('pipeline: 1/1 leads');

    const trail = cli(['audit', 'ana@bigcorp.example']);
    expect(trail.code).toBe(0);
    const lines = trail.out.trim().split('\n');
    expect(lines[0]).toMatch(/^lead ld_\S+ {2}<ana@bigcorp.example> {2}status=\w+/);
    for (const stage of ['intake', 'precheck', 'enrich', 'classify', 'act']) expect(lines.some((l) => l.includes(` ${stage} `))).toBe(true);
    const unknown = cli(['audit', 'nobody@nowhere.example']);
    expect(unknown).toEqual({ code: 1, out: '', err: `lead-triage audit: no lead with email nobody@nowhere.example in ${join(dir, 'cli.sqlite')}\n` });
  });

  it('an unknown command: the mistake on stderr, the usage on stdout, exit 2', () => {
    const r = cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('lead-triage: unknown command: frobnicate\n');
    expect(r.out).toMatch(/^usage: lead-triage <command> \[args\]\n/);
  });

  it('eval gates CI: exits non-zero when the accuracy floor is not met', () => {
    const r = cli(['eval', 'data/eval/leads.jsonl', '--json', '--min-accuracy', '0.99']);
    expect(r.code).not.toBe(0);
    const report = JSON.parse(r.out);
    expect(report.accuracy.intent).toBeLessThan(0.99);
    expect(r.err).toMatch(/eval gate failed: intent accuracy 0\.\d+ < 0\.99/);
    expect(cli(['eval', 'data/eval/leads.jsonl', '--min-accuracy', '0.85', '--max-unsafe', '0']).code).toBe(0);
  });

  it('npm start runs on embedded defaults with no credentials, says so, and serves /healthz', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start', '--silent'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'start.sqlite') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const deadline = Date.now() + 30_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy).toBe(true);
      expect(output).toContain('embedded default: CRM: local SQLite (no HUBSPOT_ACCESS_TOKEN)');
      expect(output).toContain('lead-triage listening');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
