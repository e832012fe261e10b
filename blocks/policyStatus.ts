import { safeMrkdwn, slackDate } from './escape.ts';
import { section } from './section.ts';
import type { SlackMessage } from './model.ts';
import type { PolicyStatus } from '../src/policy/status.ts';
import { overridesLine, shadowLine } from './dailyDigest.ts';


/** `/triage policy`: the active version and hash, since when, the last replay's summary, the shadow and the overrides. */
export function policyStatusMessage(s: PolicyStatus): SlackMessage {
  const active = `*Policy* \`${safeMrkdwn(s.hash, 16)}\` (version ${safeMrkdwn(s.version, 80)}), active since ${slackDate(s.loaded_at)}, from \`${safeMrkdwn(s.path, 200)}\``;
  const replay = s.last_replay
    ? `*Last replay* ${slackDate(s.last_replay.at)}: candidate \`${safeMrkdwn(s.last_replay.candidate_hash, 16)}\` over ${s.last_replay.leads} leads${s.last_replay.since ? ` (last ${safeMrkdwn(s.last_replay.since, 20)})` : ''}, ${s.last_replay.changed} would change`
      + (s.last_replay.final_actions.length ? `\n${s.last_replay.final_actions.filter((a) => a.before !== a.after).map((a) => `• ${safeMrkdwn(a.action, 40)}: ${a.before} → ${a.after}`).join('\n')}` : '')
    : '*Last replay*: none yet (`npx lead-triage replay --policy candidate.json`)';
  const shadow = s.shadow ? `*Shadow* (last 24 h): ${safeMrkdwn(shadowLine(s.shadow), 1400)}` : '*Shadow*: none deciding (name a candidate file in the policy\'s `shadow`)';
  const overrides = `*Review* (last 7 days): ${safeMrkdwn(overridesLine(s.overrides), 400)}`;
  return { text: `Policy ${s.hash} (version ${s.version})`, blocks: [section(active), section(replay), section(shadow), section(overrides)] };
}
