import { existsSync } from 'node:fs';
import { embeddedDefaults, halfConfigured } from '../../config/env.ts';
import { startupProblems } from '../../config/startup.ts';
import { loadPolicy } from '../../policy/load.ts';
import { RETENTION_BATCH, retentionOutlook } from '../../privacy/retention.ts';
import { openReadOnly } from '../../store/db.ts';
import { parseCommandArgs, type Command } from '../command.ts';
import { checkOnline, problemLine } from './online/index.ts';

export const checkConfig: Command = {
  name: 'check-config',
  summary: 'run the start-up checks (environment, policy, email template, database path) and name half-configured integrations, print what runs embedded (--online: check them against Slack, HubSpot and Anthropic)',
  usage: 'check-config [--online]',
  help: [
    '--online   also check, with the configured credentials only: Slack (the token, the policy\'s channels with the',
    '           bot in them, its people active), HubSpot (the token, field_mapping\'s properties exist and are writable,',
    '           the owners) and Anthropic (the key, the model). Nothing is posted or written. Exit 2 on any problem.',
  ],
  async run(args, { config, out, err }) {
    const parsed = parseCommandArgs(checkConfig, args, err, { options: { online: { type: 'boolean' } } });
    if (!parsed) return 2;
    const loaded = loadPolicy(config.policyPath);
    out(`ok: policy ${loaded.path} (version ${loaded.policy.version}, hash ${loaded.hash})`);
    out(`database: ${config.databasePath}`);
    for (const line of embeddedDefaults(config)) out(`embedded default: ${line}`);
    for (const line of retentionLines(config.databasePath, loaded.policy.retention_days)) out(`retention: ${line}`);
    // Exactly what start-up refuses, plus what it would only warn about: a half-configured integration.
    const offline = [...startupProblems(config, loaded), ...halfConfigured(config).map((line) => `half-configured: ${line}`)];
    for (const line of offline) err(line);
    if (!parsed.values.online) return offline.length ? 2 : 0;
    const online = await checkOnline(config, loaded.policy);
    for (const line of online.checked) out(`online: ${line}`);
    for (const line of online.problems) err(problemLine(line, loaded.path));
    return offline.length || online.problems.length ? 2 : 0;
  },
};

/** What retention_days will forget, and when: the rule, then (when the store exists) what is past it now and what goes next. */
function retentionLines(databasePath: string, days: number): string[] {
  const rule = `leads older than ${days} days are erased like an erasure on request (every personal field; the audit log keeps its figures), checked hourly, up to ${RETENTION_BATCH} leads a run`;
  if (databasePath === ':memory:' || !existsSync(databasePath)) return [rule, 'no database yet: nothing to forget'];
  const db = openReadOnly(databasePath);
  try {
    const o = retentionOutlook(db, days);
    const now = o.expiredNow ? `${o.expiredNow} lead${o.expiredNow === 1 ? ' is' : 's are'} past it (received before ${o.cutoff.slice(0, 10)}): erased at the next run` : 'no lead is past it now';
    const next = o.next ? `the next is erased from ${o.next.erased_from.slice(0, 10)} (received ${o.next.lead_created_at.slice(0, 10)})` : 'no other lead is held';
    return [rule, `${now}; ${next}`];
  } finally {
    db.close();
  }
}
