import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PROVIDERS, type Provider } from '../../core/lead.ts';
import { openOfflineApp, runToCompletion } from '../offline-app.ts';
import { createProgress } from '../progress.ts';
import type { Command } from '../command.ts';

/** A line is a generic-endpoint body, or `{"provider": "<vendor>", "body": <that vendor's payload>}`. */
function parseLine(line: string): { provider: Provider; body: unknown } {
  const value: unknown = JSON.parse(line);
  if (value && typeof value === 'object' && 'provider' in value && 'body' in value) {
    const provider = (value as { provider: unknown }).provider;
    if (!PROVIDERS.includes(provider as Provider)) throw new Error(`unknown provider ${JSON.stringify(provider)}`);
    return { provider: provider as Provider, body: (value as { body: unknown }).body };
  }
  return { provider: 'generic', body: value };
}

export const ingest: Command = {
  name: 'ingest',
  summary: 'replay submissions (JSON lines) through intake and the whole pipeline',
  usage: 'ingest <file.jsonl>',
  async run(args, ctx) {
    const file = args[0];
    if (!file) {
      ctx.err('usage: lead-triage ingest <file.jsonl>');
      return 2;
    }
    const app = openOfflineApp(ctx);
    const counts = { enqueued: 0, duplicate: 0, rejected: 0 };
    const progress = createProgress(ctx.err, 'ingest');
    try {
      let lineNo = 0;
      for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
        lineNo++;
        if (!line.trim()) continue;
        try {
          const { provider, body } = parseLine(line);
          const res = app.intake.acceptLocal(provider, body);
          if (res.status === 202) counts[res.body.status === 'duplicate' ? 'duplicate' : 'enqueued']++;
          else {
            counts.rejected++;
            ctx.err(`line ${lineNo}: ${res.status} ${String(res.body.error ?? '')}${res.body.field ? ` (${String(res.body.field)})` : ''}: ${String(res.body.message ?? '')}`);
          }
        } catch (e) {
          counts.rejected++;
          ctx.err(`line ${lineNo}: not valid JSON or shape: ${e instanceof Error ? e.message : String(e)}`);
        }
        progress.tick(`${lineNo} lines read`);
      }
      progress.tick(`${lineNo} lines read`, true);
      ctx.out(`stored: ${counts.enqueued} new, ${counts.duplicate} duplicate, ${counts.rejected} rejected`);
      const pending = () => app.db.prepare("SELECT COUNT(*) FROM jobs WHERE status IN ('queued','running')").pluck().get() as number;
      const report = (force = false) => progress.tick(`pipeline: ${counts.enqueued - pending()}/${counts.enqueued} leads`, force);
      await runToCompletion(app, report);
      report(true);
      progress.done();
      const byStatus = app.db.prepare('SELECT status, COUNT(*) AS n FROM leads GROUP BY status ORDER BY status').all() as { status: string; n: number }[];
      ctx.out(`leads by status: ${byStatus.map((s) => `${s.status}=${s.n}`).join(' ')}`);
      return counts.rejected > 0 ? 1 : 0;
    } finally {
      await app.stop();
    }
  },
};
