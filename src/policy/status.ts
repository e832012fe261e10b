import type { Db } from '../store/db.ts';
import { overrideRate, type OverrideRate } from '../review/overrides.ts';
import type { LoadedPolicy } from './load.ts';
import { shadowSummary } from './shadowSummary.ts';
import type { ShadowFigures } from '../../blocks/dailyDigest.ts';

export interface PolicyStatus {
  version: string;
  hash: string;
  path: string;
  /** When this hash became active: its hot reload, else when this process started. */
  loaded_at: string;
  last_replay: { at: string; candidate_hash: string; since: string | null; leads: number; changed: number; final_actions: ActionCount[] } | null;
  /** The shadow candidate's last 24 h; null when none decided. */
  shadow: ShadowFigures | null;
  overrides: OverrideRate;
}

interface ActionCount { action: string; before: number; after: number }

const DAY = 86_400_000;

/** What `/triage policy` shows: the active policy, the last replay, the shadow's disagreement and the week's overrides. */
export function policyStatus(db: Db, loaded: LoadedPolicy, now = Date.now()): PolicyStatus {
  const reloadedAt = db.prepare("SELECT at FROM audit_log WHERE event = 'policy_reloaded' AND policy_hash = ? ORDER BY id DESC LIMIT 1").pluck().get(loaded.hash) as string | undefined;
  const replay = db.prepare('SELECT at, candidate_hash, since, leads, changed, summary_json FROM replays ORDER BY at DESC LIMIT 1').get() as
    | { at: string; candidate_hash: string; since: string | null; leads: number; changed: number; summary_json: string }
    | undefined;
  const shadow = shadowSummary(db, DAY, now);
  return {
    version: loaded.policy.version,
    hash: loaded.hash,
    path: loaded.path,
    loaded_at: reloadedAt ?? new Date(performance.timeOrigin).toISOString(),
    last_replay: replay
      ? { at: replay.at, candidate_hash: replay.candidate_hash, since: replay.since, leads: replay.leads, changed: replay.changed, final_actions: (JSON.parse(replay.summary_json) as { final_actions?: ActionCount[] }).final_actions ?? [] }
      : null,
    shadow: shadow.decided && shadow.hash ? { ...shadow, hash: shadow.hash } : null,
    overrides: overrideRate(db, 7 * DAY, now),
  };
}
