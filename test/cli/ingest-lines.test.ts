import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lt-ingest-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example policy with both pools open around the clock, so who owns a routed lead does not depend on when the test runs. */
function alwaysOpenPolicy(): string {
  const text = readFileSync('data/policy.json', 'utf8');
  const ae = '"window": "week", "always_open": false,';
  const support = '"support": { "members": [ { "user": "U0SUPPORT1" }, { "user": "U0SUPPORT2" } ],';
  expect(text).toContain(ae);
  expect(text).toContain(support);
  const file = join(dir, 'policy.json');
  writeFileSync(file, text.replace(ae, '"window": "week", "always_open": true,').replace(support, `${support} "always_open": true,`));
  return file;
}

const env = { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'ingest.sqlite'), POLICY_PATH: alwaysOpenPolicy(), ENRICH_WEBSITE_FETCH: 'false' };
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/lead-triage.js', ...args], { env, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const LINE = /^(ld_[0-9A-HJKMNP-TV-Z]{26}) (\S+@\S+) → (\S+)( \(awaiting approval\))? · (\S+) · (owner U0\w+|unassigned)( \(already stored\))?$/;

describe('ingest: one line per lead before the totals', () => {
  const sampleEmails = readFileSync('data/samples/leads.jsonl', 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { email: string }).email.toLowerCase());

  it('prints each lead of data/samples/leads.jsonl with its decision, queue and owner, as stored', () => {
    const r = cli(['ingest', 'data/samples/leads.jsonl']);
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n');
    expect(out.at(-2)).toBe('stored: 30 new, 0 duplicate, 0 rejected');
    const statuses = /^leads by status: (.+)$/.exec(out.at(-1)!)![1]!.split(' ').map((s) => Number(s.split('=')[1]));
    expect(statuses.reduce((a, b) => a + b, 0)).toBe(30);
    const lines = out.slice(0, -2).map((l) => {
      const m = LINE.exec(l);
      expect(m, l).not.toBeNull();
      return { id: m![1]!, email: m![2]!, action: m![3]!, awaiting: Boolean(m![4]), queue: m![5]!, owner: m![6]!, line: l };
    });
    expect(lines.map((l) => l.email)).toEqual(sampleEmails);

    const byEmail = new Map(lines.map((l) => [l.email, l]));
    expect(byEmail.get('tom.becker@helixbio.example')).toMatchObject({ action: 'auto_route_sales', queue: 'sales', owner: expect.stringMatching(/^owner U0SALES00[12]$/) });
    expect(byEmail.get('rachel.kim@brightlane.example')).toMatchObject({ action: 'auto_route_support', queue: 'support', owner: expect.stringMatching(/^owner U0SUPPORT[12]$/) });
    expect(byEmail.get('alex.johnson@student.university.example')).toMatchObject({ action: 'human_review', queue: 'review', owner: 'unassigned' });
    expect(byEmail.get('raj@seo-rankers.example')).toMatchObject({ action: 'auto_reject_spam', awaiting: true, queue: 'review', owner: 'unassigned' });
    // Weighted round robin in the ae pool (Ana weight 2, Ben 1): both get sales leads, Ana more.
    const salesOwners = lines.filter((l) => l.queue === 'sales').map((l) => l.owner);
    expect(salesOwners.length).toBeGreaterThanOrEqual(3);
    const ana = salesOwners.filter((o) => o === 'owner U0SALES001').length;
    expect(ana).toBeGreaterThan(salesOwners.length - ana);
    expect(salesOwners.length - ana).toBeGreaterThan(0);

    // Each line says what the store says: the latest decision and the current assignment.
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    try {
      for (const l of lines) {
        const action = db.prepare('SELECT final_action FROM decisions WHERE lead_id = ? ORDER BY version DESC LIMIT 1').pluck().get(l.id);
        const owner = db.prepare('SELECT user_id FROM assignments WHERE lead_id = ? AND ended_at IS NULL').pluck().get(l.id) as string | null | undefined;
        expect(action, l.line).toBe(l.action);
        expect(owner ? `owner ${owner}` : 'unassigned', l.line).toBe(l.owner);
      }
    } finally {
      db.close();
    }

    // A replay lists the same leads once each, marked as already stored.
    const replay = cli(['ingest', 'data/samples/leads.jsonl']);
    const again = replay.out.trim().split('\n');
    expect(again.at(-2)).toBe('stored: 0 new, 30 duplicate, 0 rejected');
    expect(again.slice(0, -2)).toEqual(lines.map((l) => `${l.line} (already stored)`));
  }, 120_000);

  it("a vendor's sample file ingests with --provider; without it the error says to add one", () => {
    const tally = cli(['ingest', 'data/samples/tally.json', '--provider', 'tally']);
    expect(tally.code).toBe(0);
    expect(tally.out.split('\n')[0]).toMatch(/^ld_\S+ marco@bianchi-studio\.example → \w+ · \w+ · (owner U0\w+|unassigned)$/);
    expect(tally.out).toContain('stored: 1 new, 0 duplicate, 0 rejected');

    const bare = cli(['ingest', 'data/samples/webflow.json']);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('line 1: 400 payload_invalid (email)');
    expect(bare.err).toContain("a vendor's own payload? say which: --provider typeform|tally|webflow|formspree|hubspot|generic");
  }, 120_000);
});
