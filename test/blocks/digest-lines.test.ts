import { describe, expect, it } from 'vitest';
import { dailyDigest, overridesLine, shadowLine } from '../../blocks/dailyDigest.ts';
import { LIMITS, limitViolations } from '../../blocks/limits.ts';
import type { DigestFigures } from '../../blocks/model.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';
import { HUGE } from './fixtures.ts';

const FIGURES: DigestFigures = {
  label: 'Last 24 h', window_start: '2026-11-19T09:00:00.000Z', window_end: '2026-11-20T09:00:00.000Z',
  volume: 42, automatic_rate: 0.6905, review_rate: 0.25, median_first_touch_minutes: 7.5, median_claim_minutes: 185,
  pending_reviews: 3, oldest_pending_minutes: 95, dead_effects: 0, dead_jobs: 0, classifier_cost_usd: 0.08312, paused: false,
};
const SHADOW = { hash: '9f86d081884c7d65', decided: 40, disagreements: 3, top_rules: [{ rule: 'below_confidence_floor', count: 3 }, { rule: 'free_mail_cap', count: 1 }] };

describe('digest lines for the shadow policy and overrides', () => {
  it('reads as the issue words it', () => {
    expect(shadowLine(SHADOW)).toBe('Shadow policy `9f86d081884c7d65`: disagreed on 3 of 40 leads (8%); top differing rules: below_confidence_floor (3), free_mail_cap (1)');
    expect(shadowLine({ ...SHADOW, disagreements: 0, top_rules: [] })).toBe('Shadow policy `9f86d081884c7d65`: disagreed on 0 of 40 leads (0%)');
    expect(overridesLine({ reviews: 10, overrides: 3 })).toBe('Overrides this week: 3 of 10 reviews (30%)');
  });

  it('adds one section after the figures only when there is something to say', () => {
    const plain = dailyDigest('2026-11-20', FIGURES);
    const both = dailyDigest('2026-11-20', { ...FIGURES, shadow: SHADOW, overrides: { reviews: 10, overrides: 3 } });
    expect(both.blocks).toHaveLength(plain.blocks.length + 1);
    expect(both.blocks.at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `${shadowLine(SHADOW)}\nOverrides this week: 3 of 10 reviews (30%)` } });
    expect(both.text).toBe(`${plain.text} ${shadowLine(SHADOW)}. Overrides this week: 3 of 10 reviews (30%).`);
    expect(dailyDigest('2026-11-20', { ...FIGURES, overrides: { reviews: 1, overrides: 0 } }).blocks.at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Overrides this week: 0 of 1 reviews (0%)' } });
  });

  it('stays within limits and inert whatever the stored rule names hold', () => {
    const hostile = { ...SHADOW, hash: '<!channel>', top_rules: Array.from({ length: 50 }, (_, i) => ({ rule: `<@U0EVIL000${i}> ${HUGE}`, count: 10 ** 9 })) };
    const message = dailyDigest('2026-11-20', { ...FIGURES, dead_jobs: 3, shadow: hostile, overrides: { reviews: 10 ** 9, overrides: 10 ** 9 } });
    expect(limitViolations(message.blocks)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    const all = [message.text, ...mrkdwnTexts(message.blocks)].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0EVIL');
  });
});
