import { core } from './001_core.ts';
import { crm } from './002_crm.ts';
import { slack } from './003_slack.ts';
import { exactlyOnce } from './004_exactly_once.ts';
import { refreshes } from './005_refreshes.ts';
import { routing } from './006_routing.ts';
import { policyVersions } from './007_policy_versions.ts';
import { shadow } from './008_shadow.ts';
import { privacy } from './009_privacy.ts';
import type { Db } from '../db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do alone, run after `sql` in the same transaction. */
  after?: (db: Db) => void;
}

/** Ordered; a released migration is never edited, only followed by a new one. */
export const MIGRATIONS: Migration[] = [core, crm, slack, exactlyOnce, refreshes, routing, policyVersions, shadow, privacy];
