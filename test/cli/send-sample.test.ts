import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-send-sample-'));
const DB = join(dir, 'server.sqlite');
// The server knows these three; Tally is deliberately left unconfigured on the server.
const SERVER_SECRETS = { TYPEFORM_SECRET: 'tf-demo-secret', WEBHOOK_SECRET: 'generic-demo-secret', HUBSPOT_CLIENT_SECRET: 'hs-demo-secret' };

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lead-triage.js', ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: DB, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const ACCEPTED = /^202 \{"lead_id":"(ld_[0-9A-HJKMNP-TV-Z]{26})","status":"(enqueued|duplicate)"\}$/m;

let server: Awaited<ReturnType<typeof startServerProcess>>;
beforeAll(async () => {
  server = await startServerProcess({ ...SERVER_SECRETS, DATABASE_PATH: DB, ENRICH_WEBSITE_FETCH: 'false' });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('send-sample against a running serve', () => {
  it('typeform (HMAC over the body): signs the sample file byte for byte and posts it to PORT/HOST by default', async () => {
    const port = new URL(server.url).port;
    const r = await cli(['send-sample', 'typeform'], { TYPEFORM_SECRET: SERVER_SECRETS.TYPEFORM_SECRET, PORT: port, HOST: '0.0.0.0' });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // The sample ends with a newline, and those exact bytes were signed and sent.
    expect(readFileSync('data/samples/typeform.json', 'utf8').endsWith('\n')).toBe(true);
    const size = statSync('data/samples/typeform.json').size;
    expect(r.out).toContain(`POST http://127.0.0.1:${port}/webhooks/typeform  (data/samples/typeform.json, ${size} bytes, signed with TYPEFORM_SECRET)`);
    const [, leadId, status] = ACCEPTED.exec(r.out)!;
    expect(status).toBe('enqueued');
    expect(r.out).toContain(`its trail: npx lead-triage audit ${leadId}`);

    const trail = await cli(['audit', leadId!], {});
    expect(trail.code).toBe(0);
    expect(trail.out).toMatch(new RegExp(`^lead ${leadId} {2}<priya\\.raman@northwind-logistics\\.example> .* via typeform`));

    const again = await cli(['send-sample', 'typeform', '--url', server.url], { TYPEFORM_SECRET: SERVER_SECRETS.TYPEFORM_SECRET });
    expect(again.code).toBe(0);
    expect(ACCEPTED.exec(again.out)!.slice(1)).toEqual([leadId, 'duplicate']);
  }, 60_000);

  it('generic (t=…,v1=… over timestamp.body) with a file of our own, and hubspot (signature covers the URL)', async () => {
    const file = join(dir, 'own.json');
    writeFileSync(file, `${JSON.stringify({ event_id: 'own-1', email: 'Ines@Harbor-Tools.example', name: 'Ines Okoye', message: 'Quote for 25 seats, please, with SSO.' }, null, 2)}\n\n`);
    const generic = await cli(['send-sample', file, '--provider', 'generic', '--url', server.url], { WEBHOOK_SECRET: SERVER_SECRETS.WEBHOOK_SECRET });
    expect(generic.code).toBe(0);
    expect(generic.out).toContain(`POST ${server.url}/webhooks/generic  (${file}, ${statSync(file).size} bytes, signed with WEBHOOK_SECRET)`);
    const [, genericLead] = ACCEPTED.exec(generic.out)!;
    expect((await cli(['audit', genericLead!], {})).out).toContain('<ines@harbor-tools.example>');

    const hubspot = await cli(['send-sample', 'hubspot', '--url', `${server.url}/`], { HUBSPOT_CLIENT_SECRET: SERVER_SECRETS.HUBSPOT_CLIENT_SECRET });
    expect(hubspot.code).toBe(0);
    const [, hubspotLead, status] = ACCEPTED.exec(hubspot.out)!;
    expect(status).toBe('enqueued');
    expect((await cli(['audit', hubspotLead!], {})).out).toContain('<diego.alvarez@cobaltfintech.example>');
  }, 60_000);

  it("prints the server's refusal and exits 1: a wrong secret is 401, a provider the server has no secret for is 503", async () => {
    const wrong = await cli(['send-sample', 'typeform', '--url', server.url], { TYPEFORM_SECRET: 'not-the-servers' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('401 {"error":"signature_invalid","message":"Typeform-Signature does not match"}');
    expect(wrong.err).toContain("is TYPEFORM_SECRET the same value as the server's?");

    const unconfigured = await cli(['send-sample', 'tally', '--url', server.url], { TALLY_SIGNING_SECRET: 'client-only' });
    expect(unconfigured.code).toBe(1);
    expect(unconfigured.out).toMatch(/^503 \{"error":"provider_not_configured"/m);
  }, 60_000);
});

describe('send-sample without what it needs', () => {
  it('names the missing secret and exits 2 before sending anything', async () => {
    const r = await cli(['send-sample', 'typeform', '--url', 'http://127.0.0.1:9'], {});
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim()).toBe("lead-triage send-sample: set TYPEFORM_SECRET (the same value as the server's) to sign a Typeform sample");
    const tally = await cli(['send-sample', 'data/samples/tally.json', '--provider', 'tally'], { WEBHOOK_SECRET: 'x' });
    expect(tally.code).toBe(2);
    expect(tally.err.trim()).toBe("lead-triage send-sample: set TALLY_SIGNING_SECRET (the same value as the server's) to sign a Tally sample");
  }, 30_000);

  it('a file needs --provider, and --provider must name a known vendor', async () => {
    const noProvider = await cli(['send-sample', 'data/samples/generic.json'], { WEBHOOK_SECRET: 'x' });
    expect(noProvider.code).toBe(2);
    expect(noProvider.err.trim().split('\n')).toEqual([
      'lead-triage send-sample: say how to sign data/samples/generic.json: --provider typeform|tally|webflow|formspree|hubspot|generic',
      'usage: lead-triage send-sample <provider|file> [--provider <vendor>] [--url <base>]  (lead-triage send-sample --help for more)',
    ]);
    const unknown = await cli(['send-sample', 'x.json', '--provider', 'jotform'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err.split('\n')[0]).toBe('lead-triage send-sample: --provider "jotform" is not one of typeform, tally, webflow, formspree, hubspot, generic');
  }, 30_000);
});

describe('data/samples', () => {
  it('every address and website is on a reserved .example domain (the one IP literal is the SSRF sample)', () => {
    const files = readdirSync('data/samples');
    expect(files.sort()).toEqual(['formspree.json', 'generic.json', 'hubspot.json', 'leads.jsonl', 'tally.json', 'typeform.json', 'webflow.json']);
    const hosts = files.flatMap((f) => {
      const text = readFileSync(join('data/samples', f), 'utf8');
      return [...text.matchAll(/[\w.+-]+@([\w.-]+)|https?:\/\/([\w.-]+)/g)].map((m) => (m[1] ?? m[2])!.toLowerCase());
    });
    expect(hosts.length).toBeGreaterThan(60);
    expect(hosts.filter((h) => !h.endsWith('.example'))).toEqual(['169.254.169.254']);
  });
});
