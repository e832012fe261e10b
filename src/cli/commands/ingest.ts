import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PROVIDERS, type Provider } from '../../core/lead.ts';
import { currentAssignment } from '../../routing/ledger.ts';
import { latestDecision } from '../../store/decisions.ts';
import { LeadStore } from '../../store/leads.ts';
import type { Db } from '../../store/db.ts';
import { openOfflineApp, runToCompletion } from '../offline-app.ts';
import { createProgress } from '../progress.ts';
import { parseCommandArgs, usageError, type Command } from '../command.ts';

const isProvider = (v: unknown): v is Provider => PROVIDERS.includes(v as Provider);

/** A line is a bare body (for `bare`'s endpoint, generic unless --provider says), or `{"provider": "<vendor>", "body": <payload>}`. */
function parseEntry(value: unknown, bare: Provider): { provider: Provider; body: unknown } {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'provider' in value && 'body' in value) {
    const provider = (value as { provider: unknown }).provider;
    if (!isProvider(provider)) throw new Error(`unknown provider ${JSON.stringify(provider)}`);
    return { provider, body: (value as { body: unknown }).body };
  }
  return { provider: bare, body: value };
}

/**
 * JSON Lines are streamed (files can be large); a `.json` file is one document: a submission exactly as a
 * vendor posts it (data/samples/typeform.json) or an array of them. Each entry is numbered from 1.
 */
async function* entries(file: string): AsyncGenerator<{ no: number; text: string } | { no: number; value: unknown }> {
  if (file.toLowerCase().endsWith('.json')) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: ${e instanceof SyntaxError ? `not one JSON document (${e.message}); JSON Lines need a .jsonl name` : String(e)}`);
    }
    const list = Array.isArray(doc) ? doc : [doc];
    for (const [i, value] of list.entries()) yield { no: i + 1, value };
    return;
  }
  let no = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) yield { no: ++no, text };
}

const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, '');

/** `ld_… jane@acme.example → auto_route_sales · sales · owner U0SALES001`: what happened to one lead, and who has it. */
export function leadLine(db: Db, leads: LeadStore, leadId: string): string {
  const record = leads.get(leadId);
  if (!record) return `${leadId} (no longer stored)`;
  const decision = latestDecision(db, leadId);
  const assignment = currentAssignment(db, leadId);
  const pending = record.status === 'pending_review';
  const outcome = decision
    ? `${decision.row.final_action}${pending && decision.row.final_action !== 'human_review' ? ' (awaiting approval)' : ''}`
    : record.status;
  const queue = assignment?.queue ?? (pending ? 'review' : decision?.decision.route ?? 'no queue');
  const owner = assignment?.user_id ? `owner ${assignment.user_id}` : 'unassigned';
  return `${leadId} ${printable(record.lead.email)} → ${outcome} · ${queue} · ${owner}`;
}

export const ingest: Command = {
  name: 'ingest',
  summary: 'replay submissions (JSON lines, or one vendor .json) through intake and the whole pipeline',
  usage: 'ingest <file.jsonl> [--provider <vendor>]',
  help: [
    '<file.jsonl>          one submission a line: a generic-endpoint body, or {"provider": "<vendor>", "body": <payload>}',
    '                      (a .json file is one document: a submission as its vendor posts it, or an array of them)',
    `--provider <vendor>   whose payloads the bare bodies are (${PROVIDERS.join(', ')}); default generic`,
    'Prints each lead (id, email, decision, queue, owner), then the totals; progress goes to stderr.',
  ],
  async run(args, ctx) {
    const parsed = parseCommandArgs(ingest, args, ctx.err, { options: { provider: { type: 'string' } }, required: ['file.jsonl'] });
    if (!parsed) return 2;
    const file = parsed.positionals[0]!;
    const given = parsed.values.provider;
    if (given !== undefined && !isProvider(given)) return usageError(ingest, ctx.err, `--provider ${JSON.stringify(given)} is not one of ${PROVIDERS.join(', ')}`);
    const bare: Provider = given ?? 'generic';
    const app = openOfflineApp(ctx);
    const counts = { enqueued: 0, duplicate: 0, rejected: 0 };
    // Every lead this file names, in file order; a redelivery of one already stored is listed once.
    const seen = new Map<string, 'new' | 'already stored'>();
    const progress = createProgress(ctx.err, 'ingest');
    try {
      let read = 0;
      for await (const entry of entries(file)) {
        read = entry.no;
        if ('text' in entry && !entry.text.trim()) continue;
        try {
          const { provider, body } = parseEntry('text' in entry ? JSON.parse(entry.text) : entry.value, bare);
          const res = app.intake.acceptLocal(provider, body);
          if (res.status === 202) {
            const duplicate = res.body.status === 'duplicate';
            counts[duplicate ? 'duplicate' : 'enqueued']++;
            if (res.lead_id && !seen.has(res.lead_id)) seen.set(res.lead_id, duplicate ? 'already stored' : 'new');
          } else {
            counts.rejected++;
            ctx.err(`line ${entry.no}: ${res.status} ${String(res.body.error ?? '')}${res.body.field ? ` (${String(res.body.field)})` : ''}: ${String(res.body.message ?? '')}`);
            if ('value' in entry && given === undefined && entry.no === 1) ctx.err(`a vendor's own payload? say which: --provider ${PROVIDERS.join('|')}`);
          }
        } catch (e) {
          counts.rejected++;
          ctx.err(`line ${entry.no}: not valid JSON or shape: ${e instanceof Error ? e.message : String(e)}`);
        }
        progress.tick(`${read} lines read`);
      }
      progress.tick(`${read} lines read`, true);
      const pending = () => app.db.prepare("SELECT COUNT(*) FROM jobs WHERE status IN ('queued','running')").pluck().get() as number;
      const report = (force = false) => progress.tick(`pipeline: ${counts.enqueued - pending()}/${counts.enqueued} leads`, force);
      await runToCompletion(app, report);
      report(true);
      progress.done();
      for (const [leadId, how] of seen) ctx.out(leadLine(app.db, app.leads, leadId) + (how === 'already stored' ? ' (already stored)' : ''));
      ctx.out(`stored: ${counts.enqueued} new, ${counts.duplicate} duplicate, ${counts.rejected} rejected`);
      const byStatus = app.db.prepare('SELECT status, COUNT(*) AS n FROM leads GROUP BY status ORDER BY status').all() as { status: string; n: number }[];
      ctx.out(`leads by status: ${byStatus.map((s) => `${s.status}=${s.n}`).join(' ')}`);
      return counts.rejected > 0 ? 1 : 0;
    } finally {
      await app.stop();
    }
  },
};
