import { escapeMrkdwn, slackDate } from './escape.ts';
import type { DigestFigures, SlackMessage } from './model.ts';
import { mins, pct, statsBlocks } from './summaries.ts';

const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;
const field = (text: string) => ({ type: 'mrkdwn', text });
// Escaped where used, like any text: Slack reads `<…>` as a link or mention even inside backticks.
const STUCK_HINT = "Something is stuck: `lead-triage outbox list --dead` shows dead effects and `outbox retry <id|all-dead>` queues them again; a dead job's lead can be run again with `/triage <lead-id>`.";

/** The once-a-day operator summary: the last 24 h figures, then the review queue and anything stuck. */
export function dailyDigest(date: string, f: DigestFigures): SlackMessage {
  const pending = f.pending_reviews ? `${f.pending_reviews} (oldest ${mins(f.oldest_pending_minutes)})` : '0';
  const stuck = f.dead_effects + f.dead_jobs > 0;
  const text = `Lead triage digest ${date}: ${f.volume} leads, ${pct(f.automatic_rate)} automatic, ${pct(f.review_rate)} to review, `
    + `${f.pending_reviews} pending reviews, ${f.dead_effects} dead effects, ${f.dead_jobs} dead jobs, ${usd(f.classifier_cost_usd)} classifier cost.`;
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
    ...(stuck
      ? [{
          type: 'section',
          text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(STUCK_HINT)}` },
        }]
      : []),
  ];
  return { text, blocks };
}
