import { describe, expect, it } from 'vitest';
import { ACTION_IDS, decodeAction, decodeModalMeta, encodeModalMeta } from '../../blocks/codec.ts';
import { leadCard } from '../../blocks/leadCard.ts';
import { LIMITS, limitViolations } from '../../blocks/limits.ts';
import { editModal, reassignModal, rejectModal } from '../../blocks/modals.ts';
import { reviewCard } from '../../blocks/reviewCard.ts';
import { homeView, queueBlocks, trailBlocks } from '../../blocks/summaries.ts';
import { HUGE, cardState } from './fixtures.ts';

const META = { target: '9a0b1c2d-0000-4000-8000-000000000002', channel: 'C0REVIEW01' };

describe('lead and review cards', () => {
  it('match their snapshots', () => {
    expect(leadCard(cardState())).toMatchSnapshot();
    expect(reviewCard(cardState())).toMatchSnapshot();
    expect(reviewCard(cardState({ decision: { ...cardState().decision, status: 'rejected', decided_by: 'U0APPROVE1', resolved_at: '2026-11-20T10:05:00.000Z', human: { kind: 'reject', user_id: 'U0APPROVE1', reason: 'student', override: null } } }))).toMatchSnapshot();
  });

  it('the review card shows both keys side by side, escaping the quotes the rules took from the submission', () => {
    const readings = { model: 'buying 0.95', rules: "spam 0.90; vendor pitch — '<!channel> our team can', 'price list'" };
    const text = JSON.stringify(reviewCard(cardState({ decision: { ...cardState().decision, readings } })).blocks);
    expect(text).toContain('*Model*: buying 0.95 · *Rules*: spam 0.90; vendor pitch — ');
    expect(text).toContain('&lt;!channel&gt; our team can');
    expect(text).not.toContain('<!channel>');
    const huge = reviewCard(cardState({ decision: { ...cardState().decision, readings: { model: HUGE, rules: HUGE }, rules: Array.from({ length: 40 }, () => ({ rule: HUGE, reason: HUGE })) } }));
    expect(limitViolations(huge.blocks)).toEqual([]);
  });

  it('stay within Block Kit limits even with huge submitted text and many rules', () => {
    const huge = cardState({
      lead: { ...cardState().lead, name: HUGE, company: HUGE, email: `${'a'.repeat(300)}@x.example`, website: HUGE, message: HUGE },
      classification: { ...cardState().classification!, fit_reasoning: HUGE.slice(0, 1500), summary_for_slack: HUGE.slice(0, 600) },
      decision: { ...cardState().decision, rules: Array.from({ length: 40 }, (_, i) => ({ rule: `rule_${i}`, reason: HUGE })) },
    });
    for (const message of [leadCard(huge), reviewCard(huge), reviewCard({ ...huge, classification: null, classifier_failure: HUGE })]) {
      expect(limitViolations(message.blocks)).toEqual([]);
      expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    }
    for (const modal of [rejectModal(huge, META), editModal(huge, META), reassignModal(huge, META)]) {
      expect(limitViolations(modal.blocks, LIMITS.blocksPerModal)).toEqual([]);
      expect(modal.private_metadata.length).toBeLessThanOrEqual(LIMITS.privateMetadata);
      expect(modal.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    }
  });

  it('the review card loses its buttons once resolved; the lead card loses Take this lead once claimed', () => {
    const resolved = reviewCard(cardState({ decision: { ...cardState().decision, status: 'approved', decided_by: 'U0APPROVE1', resolved_at: '2026-11-20T10:05:00.000Z' } }));
    expect(JSON.stringify(resolved.blocks)).not.toContain(ACTION_IDS.approve);
    expect(JSON.stringify(resolved.blocks)).toContain('Approved by <@U0APPROVE1>');
    // Once decided, nothing reads as still waiting; while pending, the held actions are said in words.
    expect(JSON.stringify(resolved.blocks)).not.toMatch(/Approving will|Waiting for approval/);
    expect(JSON.stringify(reviewCard(cardState()).blocks)).toContain('*Approving will*: create or update the CRM contact, post the lead card in its queue');
    const claimed = leadCard(cardState({ claim: { user_id: 'U0REP00001', claimed_at: '2026-11-20T10:02:00.000Z' } }));
    expect(JSON.stringify(claimed.blocks)).not.toContain(ACTION_IDS.claim);
    expect(JSON.stringify(claimed.blocks)).toContain('Claimed by <@U0REP00001>');
  });

  it('after Edit & approve both cards show the corrected values and what the agent had said', () => {
    const human = { kind: 'edit' as const, user_id: 'U0APPROVE1', reason: 'existing customer', override: { intent: 'support' as const, route: 'support' as const } };
    const edited = cardState({ decision: { ...cardState().decision, status: 'approved', route: 'support', decided_by: 'U0APPROVE1', resolved_at: '2026-11-20T10:05:00.000Z', human } });
    for (const card of [leadCard(edited), reviewCard(edited)]) {
      const text = JSON.stringify(card.blocks);
      expect(text).toContain('*Intent*\\nsupport _(edited; agent: buying)_');
      expect(text).toContain('*Route*\\nsupport _(edited; agent: sales)_');
      expect(text).toContain('*Priority*\\nhigh'); // not edited: shown as is
      expect(text).not.toContain('Priority*\\nhigh _(edited');
    }
  });

  it('the review card shows what the person wrote, escaped and clipped', () => {
    const card = reviewCard(cardState({ lead: { ...cardState().lead, message: `<!channel> call <@U0EVIL0001> ${HUGE}` } }));
    const message = (card.blocks as Array<{ text?: { text: string } }>).find((b) => b.text?.text.startsWith('*Message*'))!.text!.text;
    expect(message.startsWith('*Message*\n&lt;!channel&gt; call &lt;@U0EVIL0001&gt; xxx')).toBe(true);
    expect(message.length).toBeLessThanOrEqual('*Message*\n'.length + 1500);
  });

  it('links to the CRM only for a plain https URL', () => {
    expect(JSON.stringify(leadCard(cardState()).blocks)).toContain('|CRM record>');
    expect(JSON.stringify(leadCard(cardState({ crm_url: 'https://x.example|<!channel>' })).blocks)).not.toContain('CRM record');
  });
});

describe('summaries', () => {
  it('queue, trail and home stay within limits with long lists', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ decision_id: `d${i}`, lead_id: `l${i}`, email: `${HUGE.slice(0, 300)}@x`, company: HUGE, final_action: 'human_review', waiting_since: '2026-11-20T10:00:00.000Z' }));
    expect(limitViolations(queueBlocks(items))).toEqual([]);
    const trail = Array.from({ length: 500 }, () => ({ at: '2026-11-20T10:00:00.000Z', stage: 'act', event: 'decision_committed', actor: 'system', decision: 'human_review', reason: HUGE }));
    expect(limitViolations(trailBlocks('l1', trail))).toEqual([]);
    const today = { label: 'Today (UTC)', volume: 1, automatic_rate: 0.5, review_rate: 0.5, median_first_touch_minutes: 3, median_claim_minutes: null };
    expect(limitViolations(homeView({ pending: items, claimed: [], today, paused: false, waiting: [], userId: 'U1' }).blocks, LIMITS.blocksPerModal)).toEqual([]);
  });
});

describe('codec', () => {
  it('round-trips every action and rejects anything we did not build', () => {
    expect(decodeAction(ACTION_IDS.approve, 'abc-123')).toEqual({ kind: 'approve', decisionId: 'abc-123' });
    expect(decodeAction(ACTION_IDS.claim, 'lead-1')).toEqual({ kind: 'claim', leadId: 'lead-1' });
    expect(decodeAction('something_else', 'x')).toBeNull();
    expect(decodeAction(ACTION_IDS.approve, "x' OR 1=1 --")).toBeNull();
    expect(decodeAction(ACTION_IDS.approve, undefined)).toBeNull();
    expect(decodeModalMeta(encodeModalMeta(META))).toEqual(META);
    expect(decodeModalMeta('{"target":"../../etc","channel":null}')).toBeNull();
    expect(decodeModalMeta('not json')).toBeNull();
  });
});
