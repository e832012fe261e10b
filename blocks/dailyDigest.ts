import { escapeMrkdwn, safeMrkdwn, slackDate } from './escape.ts';
import type { DigestFigures, SlackMessage } from './model.ts';
import { mins, pct, statsBlocks } from './summaries.ts';

const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;
const field = (text: string) => ({ type: 'mrkdwn', text });
// Escaped where used, like any text: Slack reads `<…>` as a link or mention even inside backticks.
const STUCK_HINT = "Something is stuck: `lead-triage outbox list --dead` shows dead effects and `outbox retry <id|all-dead>` queues them again; a dead job's lead can be run again with `/triage <lead-id>`.";

/** The policy's shadow candidate over the digest's window (src/policy/shadowSummary.ts), when it decided any lead. */
export interface ShadowFigures {
  hash: string;
  decided: number;
  disagreements: number;
  top_rules: Array<{ rule: string; count: number }>;
}
/** Reviews people resolved in the last 7 days, and how many of them were Edit or Reject (src/review/overrides.ts). */
export interface OverrideFigures {
  reviews: number;
  overrides: number;
}
export interface DigestInput extends DigestFigures {
  shadow?: ShadowFigures | undefined;
  overrides?: OverrideFigures | undefined;
}

const share = (part: number, whole: number) => `${part} of ${whole}`;

/** "Shadow policy `abc…`: disagreed on 3 of 40 leads (8%); top differing rules: confidence_floor (3)". */
export function shadowLine(s: ShadowFigures): string {
  const rules = s.top_rules.length ? `; top differing rules: ${s.top_rules.map((r) => `${r.rule} (${r.count})`).join(', ')}` : '';
  return `Shadow policy \`${s.hash}\`: disagreed on ${share(s.disagreements, s.decided)} leads (${pct(s.decided ? s.disagreements / s.decided : null)})${rules}`;
}

/** "Overrides this week: 3 of 10 reviews (30%)". */
export function overridesLine(o: OverrideFigures): string {
  return `Overrides this week: ${share(o.overrides, o.reviews)} reviews (${pct(o.reviews ? o.overrides / o.reviews : null)})`;
}

/** The once-a-day operator summary: the last 24 h figures, then the review queue and anything stuck. */
export function dailyDigest(date: string, f: DigestInput): SlackMessage {
  const pending = f.pending_reviews ? `${f.pending_reviews} (oldest ${mins(f.oldest_pending_minutes)})` : '0';
  const stuck = f.dead_effects + f.dead_jobs > 0;
  const text = `Lead triage digest ${date}: ${f.volume} leads, ${pct(f.automatic_rate)} automatic, ${pct(f.review_rate)} to review, `
    + `${f.pending_reviews} pending reviews, ${f.dead_effects} dead effects, ${f.dead_jobs} dead jobs, ${usd(f.classifier_cost_usd)} classifier cost.`;
  // Rule names and hashes are ours, escaped all the same: nothing in a digest line may become a link or a mention.
  const policyLines = [f.shadow && shadowLine(f.shadow), f.overrides && overridesLine(f.overrides)].filter((l): l is string => !!l).map((l) => safeMrkdwn(l, 1400));
  const fallback = policyLines.length ? `${text} ${policyLines.join('. ')}.` : text;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `Lead triage digest · ${date}` } },
    { type: 'context', elements: [field(`${slackDate(f.window_start)} → ${slackDate(f.window_end)}`)] },
    ...(f.paused ? [{ type: 'section', text: { type: 'mrkdwn', text: ':double_vertical_bar: *Paused*: automatic actions are held (`/triage resume`).' } }] : []),
    ...statsBlocks([f]),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Now*' },
      fields: [
        field(`*Pending reviews*\n${pending}`),
        field(`*Dead-letter effects*\n${f.dead_effects}`),
        field(`*Dead jobs*\n${f.dead_jobs}`),
        field(`*Classifier cost (24 h)*\n${usd(f.classifier_cost_usd)}`),
      ],
    },
    ...(policyLines.length ? [{ type: 'section', text: { type: 'mrkdwn', text: policyLines.join('\n') } }] : []),
    ...(stuck
      ? [{
          type: 'section',
          text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(STUCK_HINT)}` },
        }]
      : []),
  ];
  return { text: fallback, blocks };
}
