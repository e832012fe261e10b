import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assigneeDm, routingAlert, slaEscalation, slaReminder } from '../../blocks/assignment.ts';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { dailyDigest } from '../../blocks/dailyDigest.ts';
import { escapeMrkdwn } from '../../blocks/escape.ts';
import { firstTouchNudge } from '../../blocks/firstTouchNudge.ts';
import { leadCard } from '../../blocks/leadCard.ts';
import { editModal, reassignModal, rejectModal } from '../../blocks/modals.ts';
import type { CardState, DigestFigures } from '../../blocks/model.ts';
import { refreshNote, type RefreshNoteView } from '../../blocks/refreshNote.ts';
import { reviewCard } from '../../blocks/reviewCard.ts';
import { reviewReminder } from '../../blocks/reviewReminder.ts';
import { myLeadsBlocks, whoBlocks } from '../../blocks/routingViews.ts';
import { TRIAGE_USAGE, homeView, textReply, trailBlocks } from '../../blocks/summaries.ts';
import type { PoolStatus } from '../../src/routing/poolStatus.ts';
import { renderBlocks, renderMrkdwn, type ButtonAction } from '../../src/console/render/blockKit.ts';
import { HUGE, cardState } from '../blocks/fixtures.ts';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: what "only our own markup" means, checked on every rendering below.

const TAGS = new Set([
  'a', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'figcaption', 'figure', 'h3', 'hr', 'img', 'input', 'label',
  'optgroup', 'option', 'pre', 'section', 'select', 'span', 'strong', 'textarea', 'time',
]);
const ATTRS = new Set([
  'alt', 'aria-label', 'class', 'data-action-id', 'datetime', 'disabled', 'href', 'label', 'loading', 'placeholder', 'referrerpolicy',
  'rel', 'selected', 'src', 'target', 'title', 'type', 'value',
]);
const TAG = /<[^>]*>/g;
const WELL_FORMED = /^<\/?([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>$/;

/** Fails unless every tag is one the renderer writes, with known attributes, quoted values, and links only to http(s)/mailto. */
function expectOnlyOurMarkup(html: string): void {
  for (const tag of html.match(TAG) ?? []) {
    const m = WELL_FORMED.exec(tag);
    expect(m, tag).not.toBeNull();
    expect(TAGS.has(m![1]!), tag).toBe(true);
    for (const a of m![2]!.matchAll(/\s+([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRS.has(a[1]!), `${a[1]} in ${tag}`).toBe(true);
      if (a[1] === 'href') expect(a[2], tag).toMatch(/^(https?:\/\/|mailto:)/);
      if (a[1] === 'src') expect(a[2], tag).toMatch(/^https?:\/\//);
    }
  }
  // What is left outside tags is text: no character that could open a tag or end an attribute.
  expect(html.replace(TAG, '')).not.toMatch(/[<>"]/);
}

/** The visible text: tags removed, HTML entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(TAG, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const NAMES: Record<string, string> = { U0REP00001: 'Rita Rep', U0APPROVE1: 'Ann Approver' };
const userName = (id: string) => NAMES[id];
const OWNER = { user_id: 'U0REP00001', reason: 'round robin in the sales pool', assigned_at: '2026-11-20T10:00:00.000Z', accepted_at: null, moved_from: null };

// ---------------------------------------------------------------------------------------------------------------

describe('renderBlocks: the real cards', () => {
  it('draws the lead card: header, who, fields, rules, owner, buttons and footer', () => {
    const html = renderBlocks(leadCard(cardState({ owner: OWNER })).blocks, { userName });
    expectOnlyOurMarkup(html);
    expect(html).not.toContain('bk-unknown');
    expect(html).toContain('<h3 class="bk-header">New lead: BigCo</h3>');
    expect(html).toContain('<strong>Dana Buyer</strong> · dana@bigco.example<br>BigCo · https://bigco.example');
    expect(count(html, '<div class="bk-fields">')).toBe(1);
    expect(count(html, 'class="bk-field bk-mrkdwn"')).toBe(4);
    for (const f of ['<strong>Intent</strong><br>buying', '<strong>Fit score</strong><br>82/100', '<strong>Priority</strong><br>high', '<strong>Route</strong><br>sales']) expect(html).toContain(f);
    expect(html).toContain('<div class="bk-context">');
    expect(html).toContain('• confidence_floor: confidence 0.62 below 0.75');
    expect(html).toContain('<strong>Owner</strong> <span class="bk-mention">@Rita Rep</span>: round robin in the sales pool');
    expect(html).toContain('<span class="bk-emoji" title=":bust_in_silhouette:">');
    expect(html).toContain('<div class="bk-actions"><button type="button" class="bk-button bk-primary" disabled>Accept</button><button type="button" class="bk-button" disabled>Take this lead</button><button type="button" class="bk-button" disabled>Reassign</button></div>');
    expect(html).toContain('<code class="bk-code">7f1c2a9e-0000-4000-8000-000000000001</code>');
    expect(html).toContain('<time class="bk-date" datetime="2026-11-20T10:00:00.000Z">2026-11-20T10:00:00.000Z</time>');
    expect(html).toContain('<a class="bk-link" href="https://app.hubspot.com/contacts/123/record/0-1/456" rel="noopener noreferrer nofollow" target="_blank">CRM record</a>');
  });

  it('draws the review card with its styled buttons, and none once resolved', () => {
    const html = renderBlocks(reviewCard(cardState()).blocks);
    expectOnlyOurMarkup(html);
    expect(html).toContain('<h3 class="bk-header">Review: BigCo</h3>');
    expect(html).toContain('<strong>Message</strong><br>We want a demo for 200 seats.');
    expect(html).toContain('<strong>Agent recommends</strong> <code class="bk-code">auto_route_sales</code> with confidence 62%');
    expect(html).toContain('<button type="button" class="bk-button bk-primary" disabled>Approve</button>');
    expect(html).toContain('<button type="button" class="bk-button bk-danger" disabled>Reject</button>');
    expect(html).toContain('<button type="button" class="bk-button" disabled>Edit &amp; approve</button>');
    expect(count(html, 'class="bk-field bk-mrkdwn"')).toBe(4);

    const human = { kind: 'edit' as const, user_id: 'U0APPROVE1', reason: 'existing customer', override: { intent: 'support' as const } };
    const resolved = renderBlocks(reviewCard(cardState({ decision: { ...cardState().decision, status: 'approved', decided_by: 'U0APPROVE1', resolved_at: '2026-11-20T10:05:00.000Z', human } })).blocks, { userName });
    expectOnlyOurMarkup(resolved);
    expect(resolved).not.toContain('bk-actions');
    expect(resolved).toContain('Edited and approved by <span class="bk-mention">@Ann Approver</span> at <time');
    expect(resolved).toContain('<strong>Intent</strong><br>support <em>(edited; agent: buying)</em>');
  });

  it('hands each button to actionForm with its action id, value, label and style, and uses what it returns', () => {
    const seen: ButtonAction[] = [];
    const actionForm = (a: ButtonAction) => {
      seen.push(a);
      return a.action_id === ACTION_IDS.reject ? null : `<form class="f" data-x="${a.action_id}"></form>`;
    };
    const html = renderBlocks(reviewCard(cardState()).blocks, { actionForm });
    const decisionId = cardState().decision.id;
    expect(seen).toEqual([
      { action_id: ACTION_IDS.approve, value: decisionId, text: 'Approve', style: 'primary' },
      { action_id: ACTION_IDS.reject, value: decisionId, text: 'Reject', style: 'danger' },
      { action_id: ACTION_IDS.edit, value: decisionId, text: 'Edit & approve' },
    ]);
    expect(html).toContain(`<form class="f" data-x="${ACTION_IDS.approve}"></form>`);
    expect(html).toContain('<button type="button" class="bk-button bk-danger" disabled>Reject</button>');
  });

  it('draws every builder in blocks/ with no unknown block or element and only its own markup', () => {
    const s = cardState({ owner: { ...OWNER, moved_from: { user_id: 'U0APPROVE1', why: 'away' } }, claim: { user_id: 'U0APPROVE1', claimed_at: '2026-11-20T10:02:00.000Z' } });
    const meta = { target: s.decision.id, channel: 'C0REVIEW01' };
    const figures: DigestFigures = {
      label: 'Last 24 h', window_start: '2026-11-19T09:00:00.000Z', window_end: '2026-11-20T09:00:00.000Z', volume: 42, automatic_rate: 0.69, review_rate: 0.25,
      median_first_touch_minutes: 7.5, median_claim_minutes: 185, pending_reviews: 3, oldest_pending_minutes: 95, dead_effects: 1, dead_jobs: 0, classifier_cost_usd: 0.08, paused: true,
    };
    const refresh: RefreshNoteView = {
      refreshId: 'r1', leadId: s.lead.id, requestedBy: 'U0APPROVE1', human: { kind: 'reject', by: 'U0APPROVE1', at: '2026-11-20T10:05:00.000Z' },
      diff: { changes: [{ what: 'intent', before: 'spam', after: 'buying' }], rules_added: ['x'], rules_removed: [], same_outcome: false },
      proposed: { final_action: 'auto_route_sales', route: 'sales' }, status: 'open', resolvedBy: null, resolvedAt: null,
    };
    const pool: PoolStatus = {
      pool: 'sales', next: 'U0REP00001', window: 'week', total: 3, manager: 'U0APPROVE1', fallback: 'queue',
      members: [
        { user: 'U0REP00001', name: 'Rita', eligible: true, why: 'eligible', weight: 1, assigned: 2, target: 1.5, count: 2, share: 0.66, targetShare: 0.5 },
        { user: 'U0REP00002', name: 'U0REP00002', eligible: false, why: 'away until 2026-12-01', weight: 1, assigned: 1, target: 1.5, count: 1, share: 0.33, targetShare: 0.5 },
      ],
    };
    const now = Date.parse('2026-11-20T11:00:00.000Z');
    const mine = [{ lead_id: 'l1', email: 'a@b.example', company: 'BigCo', queue: 'sales', pool: 'sales', assigned_at: now - 60_000, accepted_at: null, next: { step: 0, do: 'remind' as const, due_at: now - 1000, after: 15 } }];
    const notice = { leadId: s.lead.id, who: 'Dana', mentionUser: 'U0REP00001', waited: '15 min', assignee: 'U0REP00001' };
    const rendered: Array<[string, unknown[]]> = [
      ['leadCard', leadCard(s).blocks],
      ['reviewCard', reviewCard(cardState({ decision: { ...s.decision, held_actions: [] } })).blocks],
      ['assigneeDm', assigneeDm(s, '30 min').blocks],
      ['routingAlert', routingAlert(s, 'U0APPROVE1').blocks],
      ['slaReminder', slaReminder(notice).blocks],
      ['slaEscalation', slaEscalation(notice).blocks],
      ['dailyDigest', dailyDigest('2026-11-20', figures).blocks],
      ['refreshNote', refreshNote(refresh).blocks],
      ['reviewReminder', reviewReminder({ leadId: 'l1', who: 'Dana', waitedMinutes: 90, slaMinutes: 60, approvers: ['U0APPROVE1'], usergroup: 'S0APPROVERS' }).blocks],
      ['firstTouchNudge', firstTouchNudge({ leadId: 'l1', who: 'Dana', waited: '15 min', queue: 'sales', owners: ['U0REP00001'] }).blocks],
      ['whoBlocks', whoBlocks([pool])],
      ['myLeadsBlocks', myLeadsBlocks(mine, now)],
      ['homeView', homeView({ pending: [], claimed: [], today: figures, paused: true, waiting: [], userId: 'U1', mine: { leads: mine, now }, fairness: [pool] }).blocks],
      ['trailBlocks', trailBlocks('l1', [{ at: '2026-11-20T10:00:00.000Z', stage: 'act', event: 'x', actor: 'U0REP00001', decision: null, reason: 'r' }])],
      ['textReply', textReply(TRIAGE_USAGE).blocks],
      ['rejectModal', rejectModal(s, meta).blocks],
      ['editModal', editModal(s, meta).blocks],
      ['reassignModal', reassignModal(s, meta).blocks],
    ];
    for (const [name, blocks] of rendered) {
      const html = renderBlocks(blocks, { userName, actionForm: () => null });
      expect(html, name).not.toContain('bk-unknown');
      expectOnlyOurMarkup(html);
    }
    const all = rendered.map(([, b]) => renderBlocks(b, { userName })).join('\n');
    expect(all).toContain('<hr class="bk-divider">');
    expect(all).toContain('<span class="bk-mention bk-usergroup">@S0APPROVERS</span>');
    expect(all).not.toContain('<blockquote'); // nothing we build starts a line with >
    expect(all).toContain('<section class="bk-section"><div class="bk-section-body"><div class="bk-text bk-mrkdwn"><strong>Now</strong></div><div class="bk-fields">');
    expect(all).toContain('<code class="bk-code">outbox retry &lt;id|all-dead&gt;</code>');
    expect(all).toContain('<code class="bk-code">/triage &lt;lead-id|email&gt;</code>');
    expect(all).toContain('<button type="button" class="bk-button bk-danger" disabled>Apply this reading</button>');
    // The edit modal: a static select with the agent's answer chosen, a users_select, a multiline reason.
    const edit = renderBlocks(editModal(s, meta).blocks);
    expect(edit).toContain('<label class="bk-label">Intent</label><select class="bk-select bk-static_select" data-action-id="intent_select" disabled><option value="buying" selected>buying</option>');
    expect(edit).toContain('<label class="bk-label">Owner <span class="bk-optional">(optional)</span></label><select class="bk-select bk-users_select"');
    expect(edit).toContain('<textarea class="bk-textinput" placeholder="What did the agent get wrong?" disabled></textarea>');
    expect(renderBlocks(rejectModal(s, meta).blocks)).toContain('<span class="bk-context-item bk-plain">Dana Buyer dana@bigco.example BigCo</span>');
  });
});

describe('renderBlocks: anything else', () => {
  it('names an unknown block or element type, escaped, and never throws on malformed input', () => {
    const html = renderBlocks([{ type: '<img src=x onerror=alert(1)>' }, null, 42, 'divider', { type: 'actions', elements: [{ type: 'checkboxes' }, null] }, { type: 'section', text: 'not an object', fields: 'nope' }, { type: 'context', elements: {} }]);
    expectOnlyOurMarkup(html);
    expect(html).toContain('<div class="bk-unknown">Unsupported block: &lt;img src=x onerror=alert(1)&gt;</div>');
    expect(html).toContain('<div class="bk-unknown">Unsupported element: checkboxes</div>');
    expect(html).not.toContain('<img');
    expect(() => renderBlocks(undefined as unknown as unknown[])).not.toThrow();
    fc.assert(fc.property(fc.array(fc.anything()), (blocks) => {
      expectOnlyOurMarkup(renderBlocks(blocks));
    }), { numRuns: 200 });
  });

  it('renders a url button as a link only for http(s), and an image only from http(s)', () => {
    const html = renderBlocks([
      { type: 'actions', elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Docs' }, url: 'https://docs.example/a?b=1&c=2' },
        { type: 'button', text: { type: 'plain_text', text: 'Evil' }, url: 'javascript:alert(1)' },
        { type: 'button', text: { type: 'plain_text', text: 'Data' }, url: 'data:text/html,<script>alert(1)</script>', style: 'danger' },
      ] },
      { type: 'context', elements: [{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x" onerror="alert(1)' }, { type: 'image', image_url: 'https://img.example/a.png', alt_text: 'logo' }] },
      { type: 'section', text: { type: 'plain_text', text: '*not bold* <b>\nline' }, accessory: { type: 'overflow', action_id: 'o', options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }] } },
    ]);
    expectOnlyOurMarkup(html);
    expect(html).toContain('<a class="bk-button bk-link-button" href="https://docs.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">Docs</a>');
    expect(html).toContain('<button type="button" class="bk-button" disabled>Evil</button>');
    expect(html).toContain('<button type="button" class="bk-button bk-danger" disabled>Data</button>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<span class="bk-context-image bk-image-missing">[x&quot; onerror=&quot;alert(1)]</span>');
    expect(html).toContain('<img class="bk-context-image" src="https://img.example/a.png" alt="logo" loading="lazy" referrerpolicy="no-referrer">');
    expect(html).toContain('<div class="bk-text bk-plain">*not bold* &lt;b&gt;<br>line</div>');
    expect(html).toContain('<div class="bk-accessory"><select class="bk-select bk-overflow"');
  });

  it('escapes what userName and actionForm are given', () => {
    const html = renderBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '<@U1>' } }, { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: '<b>"x"</b>' } }] }], { userName: () => '<img src=x onerror=alert(1)>' });
    expectOnlyOurMarkup(html);
    expect(html).toContain('<span class="bk-mention">@&lt;img src=x onerror=alert(1)&gt;</span>');
    expect(html).toContain('disabled>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</button>');
  });
});

describe('renderMrkdwn', () => {
  it.each([
    ['*bold* _italic_ ~strike~', '<strong>bold</strong> <em>italic</em> <del>strike</del>'],
    ['*_both_*', '<strong><em>both</em></strong>'],
    ['a*b*c snake_case_name 2*3*4 * not * ', 'a*b*c snake_case_name 2*3*4 * not * '],
    ['`code *not bold*` after', '<code class="bk-code">code *not bold*</code> after'],
    ['line one\nline two', 'line one<br>line two'],
    ['```\nfirst *x*\n  second\n```\nafter', '<pre class="bk-pre">first *x*\n  second</pre>after'],
    ['before ```pre``` after', 'before <pre class="bk-pre">pre</pre> after'],
    ['> quoted *bold*\n> more\nplain', '<blockquote class="bk-quote">quoted <strong>bold</strong><br>more</blockquote>plain'],
    ['&gt; quoted as Slack stores it', '<blockquote class="bk-quote">quoted as Slack stores it</blockquote>'],
    ['>>> all\nof it', '<blockquote class="bk-quote">all<br>of it</blockquote>'],
    ['A &amp; B &lt;tag&gt; &quot;', 'A &amp; B &lt;tag&gt; &amp;quot;'],
    ['<@U0REP00001> and <@U999>', '<span class="bk-mention">@Rita Rep</span> and <span class="bk-mention">@U999</span>'],
    ['<#C123|general> <#C456>', '<span class="bk-channel">#general</span> <span class="bk-channel">#C456</span>'],
    ['<!here> <!channel> <!everyone>', '<span class="bk-broadcast">@here</span> <span class="bk-broadcast">@channel</span> <span class="bk-broadcast">@everyone</span>'],
    ['<!subteam^S0APP|@approvers> <!subteam^S0APP>', '<span class="bk-mention bk-usergroup">@approvers</span> <span class="bk-mention bk-usergroup">@S0APP</span>'],
    ['<!date^1700000000^{date_short_pretty} {time}|2023-11-14T22:13:20Z>', '<time class="bk-date" datetime="2023-11-14T22:13:20.000Z">2023-11-14T22:13:20Z</time>'],
    ['<https://x.example/a?b=1&amp;c=2|x &amp; y>', '<a class="bk-link" href="https://x.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">x &amp; y</a>'],
    ['<http://x.example>', '<a class="bk-link" href="http://x.example/" rel="noopener noreferrer nofollow" target="_blank">http://x.example</a>'],
    ['<mailto:dana@bigco.example>', '<a class="bk-link" href="mailto:dana@bigco.example" rel="noopener noreferrer nofollow" target="_blank">dana@bigco.example</a>'],
    ['*<@U0APPROVE1>* :white_check_mark: :not_an_emoji:', '<strong><span class="bk-mention">@Ann Approver</span></strong> <span class="bk-emoji" title=":white_check_mark:">\u2705</span> :not_an_emoji:'],
    ['unclosed < and <> stay text', 'unclosed &lt; and &lt;&gt; stay text'],
  ])('%j', (input, expected) => {
    const out = renderMrkdwn(input, { userName });
    expect(out).toBe(expected);
    expectOnlyOurMarkup(out);
  });

  it('links only http, https and mailto: javascript:, data: and the rest stay text', () => {
    for (const target of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:x', 'file:///etc/passwd', '//evil.example', 'evil.example']) {
      const out = renderMrkdwn(`<${target}|click me>`);
      expect(out, target).not.toContain('<a');
      expect(out, target).toBe('<span class="bk-text-link">click me</span>');
    }
    expect(renderMrkdwn('<javascript:alert(1)>')).toBe('<span class="bk-text-link">javascript:alert(1)</span>');
    // A quote in a URL cannot close the attribute.
    const out = renderMrkdwn('<https://x.example/"onmouseover="alert(1)|x>');
    expectOnlyOurMarkup(out);
    expect(out).not.toMatch(/onmouseover="/);
    expect(out).toContain('href="https://x.example/%22onmouseover=%22alert(1)"');
  });
});

describe('hostile submissions', () => {
  const hostile = (): CardState => cardState({
    lead: {
      ...cardState().lead,
      name: '<script>alert(1)</script>',
      company: '"><img src=x onerror=alert(1)>',
      website: 'javascript:alert(1)',
      message: 'hi <https://evil.example|click> <!channel> <@U0EVIL0001> `<script>` *x* &amp; &lt;b&gt;\n> quoted',
    },
    classification: { ...cardState().classification!, summary_for_slack: '<img src=x onerror=alert(2)>', fit_reasoning: "' onclick='alert(3)" },
    decision: { ...cardState().decision, readings: { model: 'buying', rules: "vendor pitch — '<!channel> our team can'" } },
  });

  for (const [name, build] of [['lead card', leadCard], ['review card', reviewCard]] as const) {
    it(`the ${name} shows the text, escaped, and nothing becomes markup, a link or a mention`, () => {
      const html = renderBlocks(build(hostile()).blocks, { userName, actionForm: () => null });
      expectOnlyOurMarkup(html);
      expect(html).not.toMatch(/<script|<img|<a class="bk-link" href="https:\/\/evil|javascript:alert\(1\)"|bk-broadcast|bk-mention/);
      // The words stay visible as text; inside a tag there is no event handler.
      expect((html.match(TAG) ?? []).join('')).not.toMatch(/onerror|onclick/);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(visible(html)).toContain('<script>alert(1)</script>');
      expect(visible(html)).toContain('"><img src=x onerror=alert(1)>');
      expect(visible(html)).toContain('javascript:alert(1)');
      if (name === 'review card') {
        // escapeMrkdwn leaves * _ ~ ` > alone, so Slack (and this renderer) format them; the entities stay text.
        expect(visible(html)).toContain('hi <https://evil.example|click> <!channel> <@U0EVIL0001> <script> x &amp; &lt;b&gt;');
        expect(html).toContain('<code class="bk-code">&lt;script&gt;</code> <strong>x</strong>');
        expect(visible(html)).toContain("'<!channel> our team can'");
      }
      expect(visible(html)).toContain('<img src=x onerror=alert(2)>');
    });
  }

  it('huge hostile text renders in reasonable time and stays inert', () => {
    const s = hostile();
    const huge = cardState({ lead: { ...s.lead, message: `${'*_~`<>&'.repeat(300)}${HUGE}` } });
    const started = performance.now();
    const html = renderBlocks(reviewCard(huge).blocks);
    expect(performance.now() - started).toBeLessThan(1000);
    expectOnlyOurMarkup(html);
    const markers = renderMrkdwn('*a _b ~c `d '.repeat(2000));
    expectOnlyOurMarkup(markers);
  });
});

describe('renderMrkdwn(escapeMrkdwn(s)): untrusted text is only ever text', () => {
  /** The only tags escaped input can produce: formatting, code, quotes, line breaks and known emoji. */
  const FORMAT_TAG = /<br>|<\/?(?:strong|em|del)>|<code class="bk-code">|<\/code>|<pre class="bk-pre">|<\/pre>|<blockquote class="bk-quote">|<\/blockquote>|<span class="bk-emoji" title=":[a-z0-9_+-]+:">|<\/span>/g;
  const tricky = fc.string({ unit: fc.constantFrom(...'<>&"\'|@!#*_~`:\n abcU1/'.split(''), 'javascript:', 'https://', '&amp;', '&lt;', ':tada:', '```') });

  it('contains no tag but formatting, no attribute to inject into, and no link or mention', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), tricky), (s) => {
      const out = renderMrkdwn(escapeMrkdwn(s));
      const rest = out.replace(FORMAT_TAG, '');
      expect(rest).not.toMatch(/[<>"]/);
      expect(rest).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      expect(out).not.toMatch(/<a |bk-mention|bk-broadcast|bk-channel|<time/);
      expectOnlyOurMarkup(out);
    }), { numRuns: 500 });
  });

  it('keeps the text visible: with no formatting characters, what shows is exactly what was written', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'<>&"\'|@!#/ abcxyzU1.;='.split(''), 'javascript:', '<!channel>', '<https://evil.example|click>', '&amp;') });
    fc.assert(fc.property(plain, (s) => {
      expect(visible(renderMrkdwn(escapeMrkdwn(`x${s}`)))).toBe(`x${s}`);
    }), { numRuns: 300 });
  });

  it('raw (unescaped) mrkdwn of any shape still yields only our markup and only safe links', () => {
    const raw = fc.string({ unit: fc.constantFrom(...'<>&"\'|@!#^*_~`:\n aU1/'.split(''), 'javascript:', 'https://a.example', 'mailto:', 'data:', '!date^1700000000^{date}', '!subteam^S1', '<https://a.example|', '<javascript:x|') });
    fc.assert(fc.property(raw, (s) => {
      expectOnlyOurMarkup(renderMrkdwn(s, { userName }));
    }), { numRuns: 500 });
  });
});
