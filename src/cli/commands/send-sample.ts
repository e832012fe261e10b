import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WEBHOOK_SECRET_VARIABLE, type Config } from '../../config/env.ts';
import { PROVIDERS, type Provider } from '../../core/lead.ts';
import { signWebhook } from '../../intake/verify/sign.ts';
import { parseCommandArgs, usageError, type Command, type CommandContext } from '../command.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../../data/samples/', import.meta.url));

/** How a person names each vendor. */
const VENDOR_NAME: Record<Provider, string> = { typeform: 'Typeform', tally: 'Tally', webflow: 'Webflow', formspree: 'Formspree', hubspot: 'HubSpot', generic: 'generic' };

const Accepted = z.object({ lead_id: z.string().regex(/^ld_\w+$/) });

const isProvider = (v: string | undefined): v is Provider => PROVIDERS.includes(v as Provider);

/** The server as this environment would start it; a wildcard bind address is reached on loopback. */
export function defaultBaseUrl(config: Pick<Config, 'host' | 'port'>): string {
  const host = ['', '0.0.0.0', '::', '[::]'].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`;
}

const OPTIONS = { url: { type: 'string' }, provider: { type: 'string' } } as const;
type Target = { provider: Provider; file: string; base: string };

/** Reads the command line into what to send where; on a mistake prints it with the usage and returns null (exit 2). */
function parseTarget(args: string[], config: Config, err: (line: string) => void): Target | null {
  const parsed = parseCommandArgs(sendSample, args, err, { options: OPTIONS, required: ['provider|file'] });
  if (!parsed) return null;
  const what = parsed.positionals[0]!;
  const { provider, url } = parsed.values;
  const mistake = (problem: string) => (usageError(sendSample, err, problem), null);
  if (provider !== undefined && !isProvider(provider)) return mistake(`--provider ${JSON.stringify(provider)} is not one of ${PROVIDERS.join(', ')}`);
  const base = url ?? defaultBaseUrl(config);
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) return mistake(`--url ${JSON.stringify(base)} is not an http(s) URL`);
  if (isProvider(what)) {
    if (provider && provider !== what) return mistake(`the ${what} sample cannot be signed as ${provider}`);
    return { provider: what, file: `${SAMPLES_DIR}${what}.json`, base };
  }
  if (!provider) return mistake(`say how to sign ${what}: --provider ${PROVIDERS.join('|')}`);
  return { provider, file: what, base };
}

/** Control characters from whatever answered stay off the terminal. */
const printable = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function post(url: string, body: Buffer, headers: Record<string, string>, ctx: CommandContext): Promise<{ status: number; text: string } | null> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    ctx.err(`lead-triage send-sample: could not reach ${url}: ${cause} (is \`npx lead-triage serve\` running there?)`);
    return null;
  }
}

export const sendSample: Command = {
  name: 'send-sample',
  summary: 'sign a sample (or a file, with --provider) as its vendor does and POST it to the server',
  usage: 'send-sample <provider|file> [--provider <vendor>] [--url <base>]',
  help: [
    `<provider>            ${PROVIDERS.join(', ')}: sends data/samples/<provider>.json`,
    '<file>                a JSON body of your own, sent byte for byte; needs --provider',
    '--provider <vendor>   whose signature scheme and endpoint to use for <file>',
    '--url <base>          the server, default http://<HOST>:<PORT> (a wildcard HOST is reached on 127.0.0.1)',
    'The secret comes from the same variable the server reads (TYPEFORM_SECRET, TALLY_SIGNING_SECRET, WEBFLOW_SECRET,',
    'FORMSPREE_SECRET, HUBSPOT_CLIENT_SECRET, WEBHOOK_SECRET). Exit 0 when the server answers 202, 1 otherwise.',
  ],
  async run(args, ctx) {
    const target = parseTarget(args, ctx.config, ctx.err);
    if (!target) return 2;
    const { provider, file, base } = target;
    const secret = ctx.config.webhookSecrets[provider];
    const variable = WEBHOOK_SECRET_VARIABLE[provider];
    if (!secret) {
      ctx.err(`lead-triage send-sample: set ${variable} (the same value as the server's) to sign a ${VENDOR_NAME[provider]} sample`);
      return 2;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (e) {
      ctx.err(`lead-triage send-sample: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return 2;
    }
    const path = `/webhooks/${provider}`;
    const url = base.replace(/\/+$/, '') + path;
    // HubSpot signs the public URL it called: the server checks PUBLIC_BASE_URL when set, else the Host it was sent to.
    const signedUrl = ctx.config.publicBaseUrl ? ctx.config.publicBaseUrl.replace(/\/+$/, '') + path : url;
    // The bytes read are the bytes signed and sent: no re-serialising, trailing newline included.
    const headers = signWebhook(provider, secret, body, { url: signedUrl });
    const shown = relative(process.cwd(), file);
    ctx.out(`POST ${url}  (${shown && !shown.startsWith('..') ? shown : file}, ${body.length} bytes, signed with ${variable})`);
    const answer = await post(url, body, headers, ctx);
    if (!answer) return 1;
    ctx.out(`${answer.status} ${printable(answer.text.trim())}`);
    const accepted = answer.status === 202 ? Accepted.safeParse(safeJson(answer.text)) : null;
    if (accepted?.success) ctx.out(`its trail: npx lead-triage audit ${accepted.data.lead_id}`);
    if (answer.status === 401) ctx.err(`lead-triage send-sample: the server refused the signature: is ${variable} the same value as the server's?`);
    if (answer.status === 503) ctx.err(`lead-triage send-sample: the server has no ${variable}: start it with the same value set`);
    return answer.status === 202 ? 0 : 1;
  },
};
