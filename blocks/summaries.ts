import { mention, safeMrkdwn, slackDate, truncate } from './escape.ts';
import { section } from './section.ts';
import type { ClaimedItem, QueueItem, TrailItem, WaitingItem, WindowStats } from './model.ts';
import type { MyLead } from '../src/routing/myLeads.ts';
import type { PoolStatus } from '../src/routing/poolStatus.ts';
import { fairnessBlocks, myLeadsBlocks } from './routingViews.ts';


export const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
export const mins = (m: number | null) => (m === null ? '—' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

/** While paused: the leads stored and waiting, unread, for `/triage resume`. */
export function pausedBlocks(items: WaitingItem[], max = 15): unknown[] {
  const lines = items.slice(0, max).map((q) => `• ${safeMrkdwn(q.company ?? q.email, 120)} · ${safeMrkdwn(q.email, 200)} · arrived ${slackDate(q.waiting_since)} · \`${safeMrkdwn(q.lead_id, 64)}\``);
  const more = items.length > max ? `\n…and ${items.length - max} more` : '';
  return [section(items.length ? `*Paused: waiting to be read (${items.length})*\n${lines.join('\n')}${more}` : '*Paused*: no new lead is waiting')];
}

export function queueBlocks(items: QueueItem[], max = 15): unknown[] {
  if (!items.length) return [section('*Pending reviews*: none :tada:')];
  const lines = items.slice(0, max).map((q) => `• ${safeMrkdwn(q.company ?? q.email, 120)} · ${safeMrkdwn(q.email, 200)} · waiting since ${slackDate(q.waiting_since)} · \`${safeMrkdwn(q.lead_id, 64)}\``);
  const more = items.length > max ? `\n…and ${items.length - max} more` : '';
  return [section(`*Pending reviews (${items.length})*\n${lines.join('\n')}${more}`)];
}

export function statsBlocks(windows: WindowStats[]): unknown[] {
  return windows.map((w) =>
    ({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${w.label}*` },
      fields: [
        `*Leads*\n${w.volume}`,
        `*Automatic actions*\n${pct(w.automatic_rate)}`,
        `*Sent to review*\n${pct(w.review_rate)}`,
        `*Median to first touch*\n${mins(w.median_first_touch_minutes)}`,
        `*Median to claim*\n${mins(w.median_claim_minutes)}`,
      ].map((text) => ({ type: 'mrkdwn', text })),
    }),
  );
}

const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;

/** The day's model spend (UTC) against the policy's daily budget, if it sets one. */
export function spendBlock(spentUsd: number, budgetUsd: number | null): unknown {
  const budget = budgetUsd === null ? 'no daily budget set' : `of ${usd(budgetUsd)} daily budget${spentUsd >= budgetUsd ? ': spent, new leads are read offline and held for review' : ''}`;
  return section(`*Classifier spend today (UTC)*: ${usd(spentUsd)}, ${budget}`);
}

export function trailBlocks(leadId: string, trail: TrailItem[], max = 30): unknown[] {
  const shown = trail.slice(-max);
  const lines = shown.map((t) => {
    const who = t.actor === 'system' ? 'system' : mention(t.actor);
    const extra = [t.decision, t.reason].filter(Boolean).map((x) => safeMrkdwn(x, 160)).join(' — ');
    return `• ${slackDate(t.at)} ${safeMrkdwn(t.stage, 30)}/${safeMrkdwn(t.event, 60)} by ${who}${extra ? `: ${extra}` : ''}`;
  });
  const head = `*Audit trail for \`${safeMrkdwn(leadId, 64)}\`* (${trail.length} rows${trail.length > max ? `, last ${max} shown` : ''})`;
  return [section(`${head}\n${lines.join('\n') || 'no rows'}`)];
}

export function claimedBlocks(items: ClaimedItem[], max = 15): unknown[] {
  if (!items.length) return [section('*Your claimed leads*: none')];
  const lines = items.slice(0, max).map((c) => `• ${safeMrkdwn(c.company ?? c.email, 120)} · ${safeMrkdwn(c.email, 200)} · claimed ${slackDate(c.claimed_at)}`);
  return [section(`*Your claimed leads (${items.length})*\n${lines.join('\n')}`)];
}

export const TRIAGE_USAGE = [
  '*/triage* usage:',
  // Escaped: Slack reads a bare <…|…> as a link even inside code spans.
  '• `/triage &lt;lead-id|email&gt;` reprocess a lead',
  '• `/triage status &lt;lead-id|email&gt;` audit trail',
  '• `/triage queue` pending reviews',
  '• `/triage stats` volume and rates over 24 h and 7 days',
  '• `/triage pause` / `/triage resume` flip the kill switch (approvers only)',
  '• `/triage erase &lt;email|lead-id&gt;` forget a person: every lead of that address, after a confirmation (approvers only)',
  '• `/triage ooo` out of office until `/triage ooo off`; `/triage ooo until 2026-12-24` back on that day (YYYY-MM-DD only, in your time zone)',
  '• `/triage ooo @person until YYYY-MM-DD` or `/triage ooo @person off` the same for someone else (approvers only)',
  '• `/triage who` who is next in each pool, who is away or off hours, and each share against target',
  '• `/triage policy` the active policy (version, hash, since when), the last replay, the shadow candidate and the week\'s overrides',
  '• `/triage help` this message',
].join('\n');

export function textReply(text: string): { text: string; blocks: unknown[] } {
  return { text: truncate(text, 3000), blocks: [section(text)] };
}

export const PAUSED_TEXT = '*Paused*: nothing is done or sent automatically and no approval is applied until `/triage resume`. New leads are stored and wait, unread; on resume they run in the order they came.';

export interface HomeInput {
  pending: QueueItem[];
  claimed: ClaimedItem[];
  today: WindowStats;
  paused: boolean;
  /** Leads waiting unread while paused (empty when running). */
  waiting: WaitingItem[];
  userId: string;
  /** The viewer's current assignments; `now` places their SLA clocks. */
  mine?: { leads: MyLead[]; now: number };
  /** Pools whose fairness ledger the viewer may see (approvers, pool managers); absent for everyone else. */
  fairness?: PoolStatus[];
}

export function homeView(input: HomeInput) {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Lead triage' } },
    section(input.paused ? `:double_vertical_bar: ${PAUSED_TEXT}` : ':large_green_circle: Running'),
    ...(input.paused ? pausedBlocks(input.waiting, 10) : []),
    { type: 'divider' },
    ...queueBlocks(input.pending, 10),
    { type: 'divider' },
    ...(input.mine ? [...myLeadsBlocks(input.mine.leads, input.mine.now), { type: 'divider' }] : []),
    ...claimedBlocks(input.claimed, 10),
    { type: 'divider' },
    ...statsBlocks([input.today]),
    ...(input.fairness?.length ? [{ type: 'divider' }, ...fairnessBlocks(input.fairness)] : []),
  ];
  return { type: 'home', blocks };
}
