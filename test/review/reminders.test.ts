import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueOverdueReviewReminders } from '../../src/review/reminders.ts';
import { drainSlackEffects, sampleLead, seedLead, startHarness, type Harness } from '../slack/harness.ts';
import { mrkdwnTexts } from '../helpers/slack-text.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;

describe('review SLA reminders', () => {
  it('nudges the approvers once, in the review card thread, when a review waits past the SLA', async () => {
    const { leadId } = seedLead(h, sampleLead({ name: '<!channel> Dana' }));
    await drainSlackEffects(h);
    const card = h.fake.callsTo('chat.postMessage')[0]!;
    const sla = h.loaded.policy.sla.review_minutes;

    expect(queueOverdueReviewReminders(h.db, h.audit, h.loaded.policy, Date.now() + (sla - 1) * MINUTE)).toBe(0);
    expect(queueOverdueReviewReminders(h.db, h.audit, h.loaded.policy, Date.now() + (sla + 1) * MINUTE)).toBe(1);
    expect(queueOverdueReviewReminders(h.db, h.audit, h.loaded.policy, Date.now() + (sla + 5) * MINUTE)).toBe(0);
    await drainSlackEffects(h);

    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    const reminder = posts[1]!.body;
    expect(reminder.channel).toBe(card.body.channel);
    expect(reminder.thread_ts).toBeTruthy();
    const parsed = [String(reminder.text), ...mrkdwnTexts(reminder.blocks)].join('\n');
    expect(parsed).toContain('<@U0APPROVE1> <@U0APPROVE2>');
    expect(parsed).toContain('&lt;!channel&gt; Dana');
    expect(parsed).not.toContain('<!channel>');
    expect(h.audit.trail(leadId).map((r) => r.event)).toContain('review_overdue');
  });

  it('leaves resolved reviews alone', async () => {
    const { decisionId } = seedLead(h);
    h.db.prepare("UPDATE decisions SET status = 'approved' WHERE id = ?").run(decisionId);
    expect(queueOverdueReviewReminders(h.db, h.audit, h.loaded.policy, Date.now() + 24 * 60 * MINUTE)).toBe(0);
  });

  it('skips a reminder whose review was handled after it was queued', async () => {
    const { decisionId } = seedLead(h);
    await drainSlackEffects(h);
    queueOverdueReviewReminders(h.db, h.audit, h.loaded.policy, Date.now() + 24 * 60 * MINUTE);
    h.db.prepare("UPDATE decisions SET status = 'rejected' WHERE id = ?").run(decisionId);
    const ran = await drainSlackEffects(h);
    expect(ran.find((r) => r.kind === 'slack_review_reminder')?.result).toEqual({ skipped: 'review already resolved' });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
