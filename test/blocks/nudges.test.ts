import { describe, expect, it } from 'vitest';
import { dailyDigest } from '../../blocks/dailyDigest.ts';
import { firstTouchNudge } from '../../blocks/firstTouchNudge.ts';
import { LIMITS, limitViolations } from '../../blocks/limits.ts';
import type { DigestFigures } from '../../blocks/model.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';
import { HUGE } from './fixtures.ts';

const FIGURES: DigestFigures = {
  label: 'Last 24 h', window_start: '2026-11-19T09:00:00.000Z', window_end: '2026-11-20T09:00:00.000Z',
  volume: 42, automatic_rate: 0.6905, review_rate: 0.25, median_first_touch_minutes: 7.5, median_claim_minutes: 185,
  pending_reviews: 3, oldest_pending_minutes: 95, dead_effects: 1, dead_jobs: 0, classifier_cost_usd: 0.08312, paused: false,
};

const NUDGE = { leadId: '7f1c2a9e-0000-4000-8000-000000000001', who: 'Dana Buyer (BigCo)', waited: '15 min', queue: 'sales', owners: ['U0SALES001', 'U0SALES002'] };

describe('first-touch nudge', () => {
  it('matches its snapshot', () => {
    expect(firstTouchNudge(NUDGE)).toMatchSnapshot();
  });

  it('stays within limits and inert with huge or hostile submitted text', () => {
    const message = firstTouchNudge({ ...NUDGE, who: `<!channel> <@U0EVIL0001> ${HUGE}`, leadId: HUGE });
    expect(limitViolations(message.blocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    const all = [message.text, ...mrkdwnTexts(message.blocks)].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0EVIL0001>');
    expect(all).toContain('<@U0SALES001> <@U0SALES002>');
  });

  it('says so when the queue names no owners, and never turns a malformed owner into a mention', () => {
    expect(JSON.stringify(firstTouchNudge({ ...NUDGE, owners: [] }).blocks)).toContain('No owners are named for the sales queue');
    expect(mrkdwnTexts(firstTouchNudge({ ...NUDGE, owners: ['<!here>'] }).blocks).join()).not.toContain('<!here>');
  });
});

describe('daily digest', () => {
  it('matches its snapshots (all clear; stuck and paused)', () => {
    expect(dailyDigest('2026-11-20', { ...FIGURES, dead_effects: 0 })).toMatchSnapshot();
    expect(dailyDigest('2026-11-20', { ...FIGURES, paused: true, dead_jobs: 4 })).toMatchSnapshot();
  });

  it('stays within Block Kit limits with extreme figures', () => {
    const extreme = { ...FIGURES, volume: 10 ** 12, pending_reviews: 10 ** 9, oldest_pending_minutes: 10 ** 9, dead_effects: 10 ** 9, dead_jobs: 10 ** 9, classifier_cost_usd: 10 ** 9, paused: true };
    for (const f of [extreme, { ...FIGURES, automatic_rate: null, review_rate: null, median_first_touch_minutes: null, median_claim_minutes: null, oldest_pending_minutes: null, pending_reviews: 0 }]) {
      const message = dailyDigest('2026-11-20', f);
      expect(limitViolations(message.blocks)).toEqual([]);
      expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
      const header = message.blocks[0] as { text: { text: string } };
      expect(header.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    }
  });

  it('shows the figures an operator needs, with no link or mention but our own date tokens', () => {
    const text = mrkdwnTexts(dailyDigest('2026-11-20', FIGURES).blocks).join('\n');
    expect(text.replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, '')).not.toMatch(/[<>]/);
    expect(text).toContain('outbox retry &lt;id|all-dead&gt;');
    for (const s of ['*Leads*\n42', '*Automatic actions*\n69%', '*Sent to review*\n25%', '*Median to first touch*\n8 min', '*Median to claim*\n3.1 h', '*Pending reviews*\n3 (oldest 95 min)', '*Dead-letter effects*\n1', '$0.0831']) {
      expect(text).toContain(s);
    }
  });
});
