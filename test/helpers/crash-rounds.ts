import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic.ts';
import { HubspotFake } from '../fakes/hubspot.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';
import { SmtpFake } from '../fakes/smtp.ts';
import { startServerProcess } from './server-process.ts';
import { signWebhook } from './sign.ts';
import { KILL_POINTS, tally, type CrashReport, type Fakes, type KillPoint } from './crash-count.ts';

export { EFFECT_KINDS, formatCrashReport, KILL_POINTS, type CountedKind, type CrashReport, type KillPoint, type LeadRecord } from './crash-count.ts';

/**
 * Crash rounds: `lead-triage serve` runs as its own process on one database file shared by every round;
 * each round delivers a few confident buyers (routed to sales, so every effect kind runs), arms one kill
 * point, SIGKILLs the process the moment it is reached, restarts it and waits for everything to finish.
 * The fakes live in this process and survive the kill; at the end they are the ground truth for what
 * each lead got from each vendor.
 */

export const CLASSIFICATION = {
  intent: 'buying', fit_score: 86, fit_reasoning: 'Asks for pricing for 60 seats with SSO.', confidence: 0.93,
  recommended_action: 'auto_route_sales', assigned_to: 'sales', priority: 'high', summary_for_slack: 'Pricing for 60 seats with SSO.',
};

const SECRET = 'crash-secret';
const HUBSPOT_ROUTE: Partial<Record<KillPoint, string>> = {
  contact_upsert: 'POST /crm/v3/objects/contacts/batch/upsert',
  note_create: 'POST /crm/v3/objects/notes',
  task_create: 'POST /crm/v3/objects/tasks',
};

export interface CrashOptions {
  rounds: number;
  /** Which kill point a round arms; default: the targeted points in turn, then `random`. */
  pointFor?: (round: number, rng: () => number) => KillPoint;
  leadsPerRound?: number;
  /** A `random` round kills this long after the last delivery was accepted: uniform in [0, randomMaxMs). */
  randomMaxMs?: number;
  /** How long a fake holds the answer to the call the kill lands on (it must outlast the kill). */
  holdMs?: number;
  /** Deadline of each wait (server healthy, kill point reached, round recovered). */
  waitMs?: number;
  seed?: number;
  env?: Record<string, string>;
  log?: (line: string) => void;
}

/** What the fakes had seen when the kill landed. */
export interface Seen {
  modelCalls: number;
  hubspotRequests: number;
  contacts: number;
  notes: number;
  tasks: number;
  slackPosts: number;
  emails: number;
}

export interface RoundRecord {
  round: number;
  point: KillPoint;
  /** For `random`: the delay after delivery. */
  delayMs?: number;
  /** The kill point was reached within the deadline and the process was killed there. */
  landed: boolean;
  /** The targeted call had reached the fake (it did its part: stored the note, the message, the mail)… */
  receivedAtKill: boolean;
  /** …and the fake was still holding its answer when SIGKILL was sent. */
  heldAtKill: boolean;
  killAfterMs: number;
  seenAtKill: Seen;
  seenAfter: Seen;
  /** Lookups made after the restart: HubSpot association reads, Slack history/replies reads. */
  lookups: { hubspotAssociations: number; slackHistory: number };
  recovered: boolean;
  recoveryMs: number;
  leadIds: string[];
  open?: unknown[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(fn: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (fn()) return true;
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
}

/** mulberry32: a small seeded generator, so a run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


export async function runCrashRounds(opts: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = seededRandom(seed);
  const leadsPerRound = opts.leadsPerRound ?? 3;
  const holdMs = opts.holdMs ?? 20_000;
  const waitMs = opts.waitMs ?? 30_000;
  const randomMaxMs = opts.randomMaxMs ?? 1_500;
  const targeted = KILL_POINTS.filter((p) => p !== 'random');
  const pointFor = opts.pointFor ?? ((r: number) => (r < targeted.length ? targeted[r]! : 'random'));
  const log = opts.log ?? (() => {});

  const dir = mkdtempSync(join(tmpdir(), 'lt-crash-rounds-'));
  // Every lead gets an owner whatever the hour the rounds run at and however many there are: the AE pool is
  // open around the clock and uncapped here.
  const policyPath = join(dir, 'policy.json');
  const policy = readFileSync('data/policy.json', 'utf8').replace('"$schema": "./policy.schema.json",', '');
  writeFileSync(policyPath, policy.replace('"always_open": false', '"always_open": true').replace(/"caps": \{[^}]*\}/, '"caps": {}'));
  const anthropic = await startAnthropicFake();
  const hubspot = new HubspotFake();
  const slack = await startSlackFake();
  const smtp = new SmtpFake();
  const fakes: Fakes = { anthropic, hubspot, slack, smtp };
  let db: Database.Database | undefined;
  try {
    anthropic.setDefault({ tool: CLASSIFICATION });
    const env: Record<string, string> = {
      DATABASE_PATH: join(dir, 'crash.sqlite'), POLICY_PATH: policyPath, WEBHOOK_SECRET: SECRET, ENRICH_WEBSITE_FETCH: 'false',
      JOB_LEASE_MS: '1000', OUTBOX_LEASE_MS: '1000', OUTBOX_SETTLE_MS: '500', LOG_LEVEL: 'error',
      ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url,
      HUBSPOT_ACCESS_TOKEN: hubspot.token, HUBSPOT_BASE_URL: await hubspot.start(),
      SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'crash-slack-signing', SLACK_API_URL: slack.apiUrl,
      SMTP_URL: await smtp.start(),
      ...opts.env,
    };
    const rounds: RoundRecord[] = [];
    const leadMeta = new Map<string, { round: number; point: KillPoint; email: string }>();

    for (let r = 0; r < opts.rounds; r++) {
      const point = pointFor(r, rng);
      const delayMs = point === 'random' ? Math.floor(rng() * randomMaxMs) : undefined;
      const first = await startServerProcess(env);
      db ??= new Database(env.DATABASE_PATH, { fileMustExist: true });
      const before = seen(fakes);
      const mark = marks(fakes);
      arm(fakes, point, holdMs);

      const leadIds: string[] = [];
      for (let i = 0; i < leadsPerRound; i++) {
        const email = `buyer.r${r}l${i}@helixbio-r${r}l${i}.com`;
        const body = JSON.stringify({
          event_id: `crash-r${r}-l${i}`, email, name: `Tom Becker ${r}-${i}`, company: `Helix Bio R${r}-${i}`,
          message: 'Need pricing for 60 seats with SSO, deciding this month.',
        });
        const res = await fetch(`${first.url}/webhooks/generic`, { method: 'POST', body, headers: signWebhook('generic', SECRET, body) });
        const json = (await res.json()) as { lead_id?: string };
        if (res.status !== 202 || !json.lead_id) throw new Error(`round ${r}: delivery answered ${res.status} ${JSON.stringify(json)}`);
        leadIds.push(json.lead_id);
        leadMeta.set(json.lead_id, { round: r, point, email });
      }
      const deliveredAt = Date.now();

      let landed: boolean;
      if (point === 'random') {
        await sleep(delayMs!);
        landed = first.child.exitCode === null;
      } else {
        landed = await until(() => target(fakes, point, mark)?.held === true, waitMs);
      }
      const heldAtKill = landed && point !== 'random' && target(fakes, point, mark)?.held === true;
      const seenAtKill = seen(fakes);
      first.child.kill('SIGKILL');
      if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((ok) => first.child.once('exit', ok));
      const killAfterMs = Date.now() - deliveredAt;
      disarm(fakes);
      const receivedAtKill = point !== 'random' && target(fakes, point, mark) !== undefined && received(point, before, seenAtKill);

      const lookupsBefore = lookups(fakes);
      const restartAt = Date.now();
      const second = await startServerProcess(env);
      const all = [...leadMeta.keys()];
      let open: unknown[] = [];
      const recovered = await until(() => (open = openWork(db!, all)).length === 0, waitMs);
      const recoveryMs = Date.now() - restartAt;
      await second.stop();
      const lookupsAfter = lookups(fakes);
      const rec: RoundRecord = {
        round: r, point, ...(delayMs !== undefined ? { delayMs } : {}), landed, receivedAtKill, heldAtKill, killAfterMs,
        seenAtKill: diff(seenAtKill, before), seenAfter: diff(seen(fakes), before),
        lookups: { hubspotAssociations: lookupsAfter.hubspot - lookupsBefore.hubspot, slackHistory: lookupsAfter.slack - lookupsBefore.slack },
        recovered, recoveryMs, leadIds, ...(recovered ? {} : { open }),
      };
      rounds.push(rec);
      log(`round ${r + 1}/${opts.rounds} ${point}${delayMs !== undefined ? ` +${delayMs} ms` : ''}: ` +
        `${landed ? (point === 'random' ? 'killed' : heldAtKill ? 'killed mid-call' : 'killed (answer not held?)') : 'kill point NOT reached'}` +
        ` after ${killAfterMs} ms${point === 'random' ? ` (done by then: ${Object.entries(rec.seenAtKill).filter(([k]) => k !== 'hubspotRequests').map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}` +
        `; ${recovered ? `recovered in ${recoveryMs} ms` : `NOT recovered within ${waitMs} ms: ${JSON.stringify(open)}`}`);
    }

    const report = tally(fakes, db!, rounds, leadMeta);
    return { ...report, rounds, wallMs: Date.now() - started, seed };
  } finally {
    db?.close();
    await anthropic.close();
    await hubspot.stop();
    await slack.close();
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function arm({ anthropic, hubspot, slack, smtp }: Fakes, point: KillPoint, holdMs: number): void {
  if (point === 'classify') anthropic.script({ tool: CLASSIFICATION, delayMs: holdMs });
  const route = HUBSPOT_ROUTE[point];
  if (route) hubspot.fail({ match: route, lateAnswerMs: holdMs });
  if (point === 'slack_card') slack.failNext('chat.postMessage', { acceptThenHoldMs: holdMs });
  if (point === 'smtp_send') smtp.holdNext(holdMs);
}

/** Drops whatever was armed and not used (only when a kill point was not reached). */
function disarm({ hubspot, slack, smtp }: Fakes): void {
  hubspot.clearFaults();
  slack.clearFailures();
  smtp.clearHolds();
}

type Marks = { model: number; hubspot: number; slack: number; smtp: number };
const marks = ({ anthropic, hubspot, slack, smtp }: Fakes): Marks =>
  ({ model: anthropic.requests.length, hubspot: hubspot.requests.length, slack: slack.calls.length, smtp: smtp.received.length });

/**
 * The request this round's kill point armed a hold for, once the fake has received it (its `held` flag is
 * true while the fake holds the answer, false once the hold is over). Only requests since the round began.
 */
function target({ anthropic, hubspot, slack, smtp }: Fakes, point: KillPoint, m: Marks): { held?: boolean } | undefined {
  const route = HUBSPOT_ROUTE[point];
  if (route) return hubspot.requests.slice(m.hubspot).find((q) => `${q.method} ${q.path}` === route && q.held !== undefined);
  switch (point) {
    case 'classify': return anthropic.requests.slice(m.model).find((q) => q.held !== undefined);
    case 'slack_card': return slack.calls.slice(m.slack).find((c) => c.method === 'chat.postMessage' && c.held !== undefined);
    case 'smtp_send': return smtp.received.slice(m.smtp).find((x) => x.held !== undefined);
    default: return undefined;
  }
}

function seen({ anthropic, hubspot, slack, smtp }: Fakes): Seen {
  return {
    modelCalls: anthropic.requests.length, hubspotRequests: hubspot.requests.length,
    contacts: hubspot.store.contacts.size, notes: hubspot.store.notes.size, tasks: hubspot.store.tasks.size,
    slackPosts: slack.callsTo('chat.postMessage').length, emails: smtp.received.length,
  };
}

function diff(a: Seen, b: Seen): Seen {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof Seen]])) as unknown as Seen;
}

/** The targeted call reached the fake and the fake did its part before the kill. */
function received(point: KillPoint, before: Seen, at: Seen): boolean {
  switch (point) {
    case 'classify': return at.modelCalls > before.modelCalls;
    case 'contact_upsert': return at.contacts > before.contacts;
    case 'note_create': return at.notes > before.notes;
    case 'task_create': return at.tasks > before.tasks;
    case 'slack_card': return at.slackPosts > before.slackPosts;
    case 'smtp_send': return at.emails > before.emails;
    case 'random': return false;
  }
}

function lookups({ hubspot, slack }: Fakes): { hubspot: number; slack: number } {
  return {
    hubspot: hubspot.requests.filter((q) => q.method === 'GET' && q.path.startsWith('/crm/v4/objects/contacts/')).length,
    slack: slack.callsTo('conversations.history').length + slack.callsTo('conversations.replies').length,
  };
}

/** Leads whose work is not finished: no job yet, a job queued or running, no decision, or an effect pending or running. */
function openWork(db: Database.Database, leadIds: string[]): unknown[] {
  const rows = db.prepare(`SELECT l.id, l.status,
      (SELECT COUNT(*) FROM jobs j WHERE j.lead_id = l.id) AS jobs,
      (SELECT COUNT(*) FROM jobs j WHERE j.lead_id = l.id AND j.status IN ('queued', 'running')) AS open_jobs,
      (SELECT COUNT(*) FROM decisions d WHERE d.lead_id = l.id) AS decisions,
      (SELECT group_concat(o.kind || ':' || o.status) FROM outbox o WHERE o.lead_id = l.id AND o.status IN ('pending', 'running')) AS open_effects
    FROM leads l WHERE l.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(leadIds)) as Array<{ id: string; status: string; jobs: number; open_jobs: number; decisions: number; open_effects: string | null }>;
  const missing = leadIds.filter((id) => !rows.some((r) => r.id === id)).map((id) => ({ id, status: 'not in leads' }));
  return [...missing, ...rows.filter((r) => r.jobs === 0 || r.open_jobs > 0 || r.decisions === 0 || r.open_effects !== null || r.status === 'processing')];
}

