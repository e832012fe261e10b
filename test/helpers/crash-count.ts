import type Database from 'better-sqlite3';
import type { AnthropicFake } from '../fakes/anthropic.ts';
import type { HubspotFake } from '../fakes/hubspot.ts';
import type { SlackFake } from '../fakes/slack.ts';
import type { SmtpFake } from '../fakes/smtp.ts';
import type { RoundRecord } from './crash-rounds.ts';

/** Counting what the fakes hold after the crash rounds: the ground truth for duplicated and lost effects. */

export const KILL_POINTS = ['classify', 'contact_upsert', 'note_create', 'task_create', 'slack_card', 'smtp_send', 'random'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export const EFFECT_KINDS = ['hubspot_contact', 'hubspot_note', 'hubspot_task', 'slack_card', 'slack_dm', 'email'] as const;
/** How many of each a routed lead must leave: two notes (the lead's, and its assignment's: who owns it and why). */
const EXPECTED: Record<(typeof EFFECT_KINDS)[number], number> = { hubspot_contact: 1, hubspot_note: 2, hubspot_task: 1, slack_card: 1, slack_dm: 1, email: 1 };
export type CountedKind = (typeof EFFECT_KINDS)[number];

export interface Fakes {
  anthropic: AnthropicFake;
  hubspot: HubspotFake;
  slack: SlackFake;
  smtp: SmtpFake;
}

export interface LeadRecord {
  round: number;
  point: KillPoint;
  leadId: string;
  email: string;
  counts: Record<CountedKind, number>;
  /** Email receipts beyond the first with a Message-ID already received. */
  emailResent: number;
  messageIds: string[];
  modelCalls: number;
}

export interface KindTally {
  expected: number;
  delivered: number;
  duplicated: number;
  lost: number;
  resent: number;
}

export interface CrashReport {
  rounds: RoundRecord[];
  leads: LeadRecord[];
  kinds: Record<CountedKind, KindTally>;
  model: { calls: number; beyondFirst: number; leadsWithMore: number; leadsWithNone: number };
  db: {
    leadsWithoutOneDecision: Array<{ leadId: string; decisions: number }>;
    leadStatuses: Record<string, number>;
    processingLeads: string[];
    runningJobs: number;
    openJobs: number;
    deadOutbox: Array<{ leadId: string; kind: string; last_error: string | null }>;
    openOutbox: number;
  };
  /** One line per duplicate or loss: the round, the kill point and what the fakes saw. */
  problems: string[];
  wallMs: number;
  seed: number;
}

const messageIdOf = (raw: string) => /^message-id:\s*(\S+)/im.exec(raw)?.[1] ?? '(none)';

export function tally(
  { anthropic, hubspot, slack, smtp }: Fakes, db: Database.Database, rounds: RoundRecord[],
  leadMeta: Map<string, { round: number; point: KillPoint; email: string }>,
): Omit<CrashReport, 'rounds' | 'wallMs' | 'seed'> {
  const kinds = Object.fromEntries(EFFECT_KINDS.map((k) => [k, { expected: 0, delivered: 0, duplicated: 0, lost: 0, resent: 0 }])) as Record<CountedKind, KindTally>;
  const leads: LeadRecord[] = [];
  const problems: string[] = [];
  const model = { calls: 0, beyondFirst: 0, leadsWithMore: 0, leadsWithNone: 0 };

  for (const [leadId, meta] of leadMeta) {
    const contacts = hubspot.all('contacts').filter((c) => c.properties['email'] === meta.email);
    const ids = new Set(contacts.map((c) => c.id));
    const engaged = (type: 'notes' | 'tasks', typeId: number) => hubspot.all(type).filter((o) => o.associations.some((a) => ids.has(a.toId) && a.typeId === typeId));
    const notes = engaged('notes', 202);
    const tasks = engaged('tasks', 204);
    const posts = slack.messages.filter((m) => m.metadata?.event_payload?.['lead_id'] === leadId);
    const cards = posts.filter((m) => !m.channel.startsWith('D'));
    const dms = posts.filter((m) => m.channel.startsWith('D'));
    const mails = smtp.received.filter((m) => m.to.includes(meta.email));
    const messageIds = mails.map((m) => messageIdOf(m.raw));
    const distinctIds = new Set(messageIds);
    const modelCalls = anthropic.requests.filter((q) => JSON.stringify(q.body).includes(meta.email)).length;
    const counts: Record<CountedKind, number> = {
      hubspot_contact: contacts.length, hubspot_note: notes.length, hubspot_task: tasks.length, slack_card: cards.length, slack_dm: dms.length, email: distinctIds.size,
    };
    const emailResent = mails.length - distinctIds.size;
    leads.push({ round: meta.round, point: meta.point, leadId, email: meta.email, counts, emailResent, messageIds, modelCalls });

    for (const k of EFFECT_KINDS) {
      const n = counts[k];
      const t = kinds[k];
      t.expected += EXPECTED[k];
      t.delivered += n;
      t.duplicated += Math.max(0, n - EXPECTED[k]);
      t.lost += Math.max(0, EXPECTED[k] - n);
    }
    kinds.email.resent += emailResent;
    model.calls += modelCalls;
    model.beyondFirst += Math.max(0, modelCalls - 1);
    if (modelCalls > 1) model.leadsWithMore += 1;
    if (modelCalls === 0) model.leadsWithNone += 1;

    const where = `round ${meta.round + 1} (kill point ${meta.point}${rounds[meta.round]?.delayMs !== undefined ? ` +${rounds[meta.round]!.delayMs} ms` : ''}), lead ${leadId} <${meta.email}>`;
    const seenBy: Record<CountedKind, () => string> = {
      hubspot_contact: () => `contacts ${contacts.map((c) => `#${c.id} at ${c.createdAt}`).join(', ')}; upsert requests ${hubspot.requests.filter((q) => q.path.endsWith('/contacts/batch/upsert') && JSON.stringify(q.body).includes(meta.email)).length}`,
      hubspot_note: () => `notes ${notes.map((o) => `#${o.id} at ${o.createdAt} marker ${/ltdedupe[0-9a-f]+/.exec(o.properties['hs_note_body'] ?? '')?.[0]}`).join(', ') || 'none'}`,
      hubspot_task: () => `tasks ${tasks.map((o) => `#${o.id} at ${o.createdAt} marker ${/ltdedupe[0-9a-f]+/.exec(o.properties['hs_task_body'] ?? '')?.[0]}`).join(', ') || 'none'}`,
      slack_card: () => `messages ${cards.map((m) => `${m.channel}/${m.ts} key ${String(m.metadata?.event_payload?.['key'])}`).join(', ') || 'none'}`,
      slack_dm: () => `direct messages ${dms.map((m) => `${m.channel}/${m.ts} key ${String(m.metadata?.event_payload?.['key'])}`).join(', ') || 'none'}`,
      email: () => `mails with Message-IDs ${messageIds.join(', ') || 'none'}`,
    };
    for (const k of EFFECT_KINDS) {
      if (counts[k] === EXPECTED[k]) continue;
      problems.push(`${counts[k] < EXPECTED[k] ? 'LOST' : 'DUPLICATED'} ${k} ×${counts[k]} of ${EXPECTED[k]}: ${where}: ${seenBy[k]()}`);
    }
  }

  const all = JSON.stringify([...leadMeta.keys()]);
  const inLeads = 'lead_id IN (SELECT value FROM json_each(?))';
  const decisionCounts = db.prepare(`SELECT l.id AS leadId, (SELECT COUNT(*) FROM decisions d WHERE d.lead_id = l.id) AS decisions FROM leads l WHERE l.id IN (SELECT value FROM json_each(?))`).all(all) as Array<{ leadId: string; decisions: number }>;
  const statuses = db.prepare(`SELECT status, COUNT(*) AS n FROM leads WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status`).all(all) as Array<{ status: string; n: number }>;
  const dbReport: CrashReport['db'] = {
    leadsWithoutOneDecision: decisionCounts.filter((d) => d.decisions !== 1),
    leadStatuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    processingLeads: db.prepare(`SELECT id FROM leads WHERE status = 'processing' AND id IN (SELECT value FROM json_each(?))`).pluck().all(all) as string[],
    runningJobs: db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'running' AND ${inLeads}`).pluck().get(all) as number,
    openJobs: db.prepare(`SELECT COUNT(*) FROM jobs WHERE status <> 'done' AND ${inLeads}`).pluck().get(all) as number,
    deadOutbox: db.prepare(`SELECT lead_id AS leadId, kind, last_error FROM outbox WHERE status = 'dead' AND ${inLeads}`).all(all) as CrashReport['db']['deadOutbox'],
    openOutbox: db.prepare(`SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'running') AND ${inLeads}`).pluck().get(all) as number,
  };
  for (const d of dbReport.leadsWithoutOneDecision) problems.push(`DB: lead ${d.leadId} (round ${(leadMeta.get(d.leadId)?.round ?? -1) + 1}) has ${d.decisions} decisions`);
  for (const d of dbReport.deadOutbox) problems.push(`DB: dead outbox ${d.kind} for lead ${d.leadId} (round ${(leadMeta.get(d.leadId)?.round ?? -1) + 1}): ${d.last_error}`);
  return { leads, kinds, model, db: dbReport, problems };
}

const KIND_LABEL: Record<CountedKind, string> = {
  hubspot_contact: 'HubSpot contact', hubspot_note: 'HubSpot note', hubspot_task: 'HubSpot task', slack_card: 'Slack card', slack_dm: 'Slack DM to owner', email: 'ack email',
};

/** The report as a printable table. */
export function formatCrashReport(rep: CrashReport): string {
  const byPoint = new Map<KillPoint, number>();
  for (const r of rep.rounds) byPoint.set(r.point, (byPoint.get(r.point) ?? 0) + 1);
  const midCall = rep.rounds.filter((r) => r.point !== 'random' && r.heldAtKill).length;
  const targeted = rep.rounds.filter((r) => r.point !== 'random').length;
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `rounds: ${rep.rounds.length} (${[...byPoint].map(([p, n]) => `${p} ${n}`).join(', ')}); seed ${rep.seed}`,
    `kills: ${midCall}/${targeted} targeted kills landed with the call in flight (answer held); ` +
      `${rep.rounds.filter((r) => !r.recovered).length} rounds not recovered in time`,
    `leads: ${rep.leads.length} (statuses ${JSON.stringify(rep.db.leadStatuses)})`,
    '',
    `${'kind'.padEnd(16)}${pad('expected', 9)}${pad('delivered', 10)}${pad('duplicated', 11)}${pad('lost', 6)}${pad('resent', 8)}`,
    ...EFFECT_KINDS.map((k) => {
      const t = rep.kinds[k];
      return `${KIND_LABEL[k].padEnd(16)}${pad(t.expected, 9)}${pad(t.delivered, 10)}${pad(t.duplicated, 11)}${pad(t.lost, 6)}${pad(k === 'email' ? t.resent : '-', 8)}`;
    }),
    '',
    'resent = the same ack email received again with the same Message-ID (SMTP cannot be asked; at-least-once by design)',
    `model calls: ${rep.model.calls} for ${rep.leads.length} leads; ${rep.model.beyondFirst} beyond the first (on ${rep.model.leadsWithMore} leads; expected after a kill mid-classify), ${rep.model.leadsWithNone} leads with none`,
    `db: ${rep.db.leadsWithoutOneDecision.length} leads without exactly one decision, ${rep.db.processingLeads.length} left processing, ` +
      `${rep.db.runningJobs} jobs running, ${rep.db.openJobs} jobs not done, ${rep.db.deadOutbox.length} dead outbox rows, ${rep.db.openOutbox} outbox rows open`,
    `wall time: ${(rep.wallMs / 1000).toFixed(1)} s`,
  ];
  if (rep.problems.length) lines.push('', 'problems:', ...rep.problems.map((p) => `  ${p}`));
  return lines.join('\n');
}
