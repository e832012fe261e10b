import { existsSync } from 'node:fs';
import { createClassifier } from '../../classify/index.ts';
import { parseDuration } from '../../core/duration.ts';
import { AppError } from '../../core/errors.ts';
import { silentLogger } from '../../observability/logger.ts';
import { loadPolicy, type LoadedPolicy } from '../../policy/load.ts';
import { formatReplay } from '../../policy/replay/format.ts';
import { recordReplay, runReplay } from '../../policy/replay/run.ts';
import type { QueueName } from '../../policy/schema.ts';
import { openDb, openReadOnly } from '../../store/db.ts';
import { missingDatabase, parseCommandArgs, usageError, type Command } from '../command.ts';

const QUEUES: readonly QueueName[] = ['sales', 'support', 'founder'];
const DEFAULT_SINCE = '30d';

const OPTIONS = {
  policy: { type: 'string' },
  since: { type: 'string' },
  queue: { type: 'string' },
  reclassify: { type: 'boolean' },
  'budget-usd': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `replay --policy candidate.json`: what a candidate policy would change on stored leads, with no side effect. */
export const replay: Command = {
  name: 'replay',
  summary: 'Re-decide stored leads with a candidate policy and print what would change (no side effects)',
  usage: 'replay --policy <candidate.json> [--since 30d|all] [--queue sales|support|founder] [--reclassify --budget-usd <n>] [--json]',
  help: [
    '--policy <file>       the candidate policy; one that does not validate is refused with the bad field (exit 2)',
    `--since <duration>    leads created in this last span ("12h", "30d"; default ${DEFAULT_SINCE}); all: every stored lead`,
    '--queue <queue>       only leads the first decision routed to this queue, or that ended up there',
    '--reclassify          classify each lead again through the configured classifier (offline without a key)',
    '--budget-usd <n>      with --reclassify: stop before a call that would take the model spend past n dollars',
    '--json                the whole diff as JSON, every changed lead included',
    "Each lead's first automatic decision is re-decided from its stored enrichment and classification; the precheck",
    'runs again under the candidate. The store is opened read-only; the one row written is the summary (/triage policy).',
  ],
  async run(args, ctx) {
    const parsed = parseCommandArgs(replay, args, ctx.err, { options: OPTIONS });
    if (!parsed) return 2;
    const v = parsed.values;
    if (v.policy === undefined) return usageError(replay, ctx.err, 'missing --policy <candidate.json>');
    const sinceText = v.since ?? DEFAULT_SINCE;
    const sinceMs = sinceText === 'all' ? null : parseDuration(sinceText);
    if (sinceText !== 'all' && sinceMs === null) return usageError(replay, ctx.err, `--since ${JSON.stringify(sinceText)} is not a duration like "12h" or "30d" (or all)`);
    if (v.queue !== undefined && !QUEUES.includes(v.queue as QueueName)) return usageError(replay, ctx.err, `--queue ${JSON.stringify(v.queue)} is not one of ${QUEUES.join(', ')}`);
    const rawBudget = v['budget-usd'];
    if (rawBudget !== undefined && !v.reclassify) return usageError(replay, ctx.err, '--budget-usd only applies with --reclassify');
    if (v.reclassify && rawBudget === undefined) return usageError(replay, ctx.err, '--reclassify needs --budget-usd <n>: the most the model calls may cost');
    const budget = rawBudget === undefined ? null : rawBudget.trim() === '' ? NaN : Number(rawBudget);
    if (budget !== null && !(budget >= 0 && Number.isFinite(budget))) return usageError(replay, ctx.err, `--budget-usd ${JSON.stringify(rawBudget)} is not an amount of 0 or more`);

    if (!existsSync(v.policy)) {
      ctx.err(`lead-triage replay: no candidate policy file ${v.policy}`);
      return 2;
    }
    let candidate: LoadedPolicy;
    try {
      candidate = loadPolicy(v.policy);
    } catch (e) {
      // The same line check-config prints for the same file.
      if (e instanceof AppError) {
        ctx.err(`lead-triage replay: ${e.message}`);
        return 2;
      }
      throw e;
    }
    const noDb = missingDatabase(ctx.config);
    if (noDb) {
      ctx.err(`lead-triage replay: ${noDb}`);
      return 1;
    }
    const now = Date.now();
    // Opened first: it migrates (so the replays table exists) and keeps the WAL files the read-only connection needs.
    const writer = openDb(ctx.config.databasePath);
    const reader = openReadOnly(ctx.config.databasePath);
    try {
      const summary = await runReplay(reader, {
        candidate,
        since: sinceMs === null ? null : { text: sinceText, iso: new Date(now - sinceMs).toISOString() },
        queue: (v.queue as QueueName | undefined) ?? null,
        reclassify: v.reclassify && budget !== null
          ? { classifier: createClassifier({ anthropic: ctx.config.anthropic, policy: candidate.policy, logger: silentLogger() }), budgetUsd: budget }
          : null,
        now,
      });
      reader.close();
      const id = recordReplay(writer, summary);
      if (v.json) ctx.out(JSON.stringify({ id, ...summary }, null, 2));
      else for (const line of formatReplay(summary, candidate.policy.people)) ctx.out(line);
      return 0;
    } finally {
      if (reader.open) reader.close();
      writer.close();
    }
  },
};
