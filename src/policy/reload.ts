import { escapeMrkdwn, truncate } from '../../blocks/escape.ts';
import { readFileSync } from 'node:fs';
import { startupProblems } from '../config/startup.ts';
import type { Config } from '../config/env.ts';
import { queueNotice } from '../nudges/notice.ts';
import type { Logger } from '../observability/logger.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import { loadPolicy, textHash, type LoadedPolicy } from './load.ts';

export type ReloadOutcome =
  | { outcome: 'unchanged' }
  | { outcome: 'reloaded'; from: string; to: string }
  | { outcome: 'refused'; reason: string };

export interface ReloadDeps {
  /** The app's one policy holder: replaced in place, so every reader sees the new policy on its next read. */
  loaded: LoadedPolicy;
  config: Config;
  db: Db;
  audit: AuditLog;
  logger: Logger;
  /** Called after a swap (e.g. to reschedule the digest when its cron changed). */
  onReloaded?: (previous: LoadedPolicy) => void;
  clock?: () => number;
}

/** The refused file's hash, so a second save of the same broken content is told once. */
const fileHash = (path: string) => {
  try {
    return textHash(readFileSync(path, 'utf8'));
  } catch {
    return 'unreadable';
  }
};

/**
 * Reads the policy file again. A valid change replaces the active policy (audited, logged, told to the review
 * channel); an invalid one is refused with check-config's own lines and the active policy stays. A lead already
 * in the pipeline keeps the policy it started with: each job reads the holder once, at its start.
 */
export function reloadPolicy(deps: ReloadDeps): ReloadOutcome {
  const { loaded, db, audit, logger } = deps;
  const now = deps.clock?.() ?? Date.now();
  const correlationId = `policy-reload-${now}`;
  let next: LoadedPolicy;
  try {
    next = loadPolicy(loaded.path);
  } catch (err) {
    return refuse((err as Error).message, fileHash(loaded.path));
  }
  if (next.hash === loaded.hash) return { outcome: 'unchanged' };
  const problems = startupProblems(deps.config, next);
  if (problems.length) return refuse(problems.join('\n'), next.hash);

  const previous = { ...loaded };
  Object.assign(loaded, next);
  audit.record({ lead_id: null, correlation_id: correlationId, stage: 'policy', event: 'policy_reloaded', policy_hash: next.hash, output: { from: previous.hash, to: next.hash, version: next.policy.version, path: next.path } });
  logger.info({ from: previous.hash, to: next.hash, policy_version: next.policy.version }, 'policy reloaded');
  queueNotice(db, {
    channel: next.policy.routing.review_channel,
    text: `:arrows_counterclockwise: Policy reloaded: \`${previous.hash}\` → \`${next.hash}\` (version ${escapeMrkdwn(next.policy.version.replace(/`/g, "'"))}). New leads are decided by it; leads already in the pipeline finish under the one they started with.`,
    dedupeKey: `policy_reloaded:${previous.hash}:${next.hash}:${now}`, correlationId,
  }, now);
  deps.onReloaded?.(previous);
  return { outcome: 'reloaded', from: previous.hash, to: next.hash };

  function refuse(reason: string, candidate: string): ReloadOutcome {
    audit.record({ lead_id: null, correlation_id: correlationId, stage: 'policy', event: 'policy_reload_refused', policy_hash: loaded.hash, reason, output: { candidate } });
    logger.error({ active: loaded.hash, candidate, reason }, 'policy change refused; the active policy stays');
    // Once per refused file content: an editor saving the same broken file twice says it once.
    queueNotice(db, {
      channel: loaded.policy.routing.review_channel,
      text: `:warning: A change to the policy file was refused, and policy \`${loaded.hash}\` stays active:\n\`\`\`${truncate(escapeMrkdwn(reason.replace(/`/g, "'")), 2500)}\`\`\``,
      dedupeKey: `policy_reload_refused:${loaded.hash}:${candidate}`, correlationId,
    }, now);
    return { outcome: 'refused', reason };
  }
}
