import { writeFileSync } from 'node:fs';
import { parseDuration } from '../../core/duration.ts';
import { exportHeader, exportReviewCases } from '../../eval/export.ts';
import { createRedactor } from '../../eval/redact.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Policy } from '../../policy/schema.ts';
import { openDb } from '../../store/db.ts';
import { missingDatabase, parseCommandArgs, usageError, type Command, type CommandContext } from '../command.ts';

export const EXPORT_USAGE = 'eval export --from-reviews [--since 30d] [--redact] [--out <file.jsonl>]';
export const EXPORT_HELP = [
  'eval export --from-reviews  every Edit and Reject an approver made, as eval cases (one JSON line each)',
  '  --since <30d>             only reviews resolved in this long (s, m, h, d); default: all',
  '  --redact                  names, addresses, phones and links replaced, deterministically',
  '  --out <file.jsonl>        write there instead of stdout',
] as const;

const OPTIONS = {
  'from-reviews': { type: 'boolean' },
  since: { type: 'string' },
  redact: { type: 'boolean' },
  out: { type: 'string' },
} as const;

const me: Pick<Command, 'name' | 'usage'> = { name: 'eval export', usage: EXPORT_USAGE };

/** Domains the policy names (ours, competitors', blocklisted): not personal, and what kind they are decides the lead. */
function policyDomains(policy: Policy): string[] {
  return [...policy.company.domains, ...policy.icp.competitor_domains, ...policy.blocklist.domains];
}

/** `eval export --from-reviews`: reads the store only; the cases go to stdout or --out, the count to stderr. */
export async function runEvalExport(args: string[], ctx: CommandContext, now = Date.now()): Promise<number> {
  const parsed = parseCommandArgs(me, args, ctx.err, { options: OPTIONS });
  if (!parsed) return 2;
  const v = parsed.values;
  if (!v['from-reviews']) return usageError(me, ctx.err, 'say where the cases come from: --from-reviews (the only source so far)');
  let since: string | null = null;
  if (v.since !== undefined) {
    const ms = parseDuration(v.since);
    if (ms === null) return usageError(me, ctx.err, `--since ${JSON.stringify(v.since)} is not a duration like "30d", "12h" or "90m"`);
    since = new Date(now - ms).toISOString();
  }
  const noDb = missingDatabase(ctx.config);
  if (noDb) {
    ctx.err(`lead-triage eval export: ${noDb}`);
    return 1;
  }
  let keepDomains: string[] = [];
  if (v.redact) {
    try {
      keepDomains = policyDomains(loadPolicy(ctx.config.policyPath).policy);
    } catch (err) {
      ctx.err(`lead-triage eval export: the policy did not load (${(err as Error).message}); only free-mail, disposable and typo domains keep their name`);
    }
  }
  const db = openDb(ctx.config.databasePath);
  try {
    const { cases, skipped } = exportReviewCases(db, { since, redactor: v.redact ? createRedactor({ keepDomains }) : null });
    const text = [exportHeader(cases.length, { since, redacted: v.redact === true, at: new Date(now).toISOString() }), ...cases.map((c) => JSON.stringify(c))].join('\n');
    if (v.out) writeFileSync(v.out, `${text}\n`);
    else ctx.out(text);
    for (const s of skipped) ctx.err(`lead-triage eval export: skipped review ${s.decision_id}: ${s.why}`);
    ctx.err(`lead-triage eval export: ${cases.length} case${cases.length === 1 ? '' : 's'}${v.out ? ` written to ${v.out}` : ''}`);
    return 0;
  } finally {
    db.close();
  }
}
