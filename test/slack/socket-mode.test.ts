import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../blocks/codec.ts';
import { loadConfig } from '../../src/config/env.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { decide } from '../../src/policy/decide.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { createSlack } from '../../src/slack/app.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { openDb } from '../../src/store/db.ts';
import { LeadStore } from '../../src/store/leads.ts';
import { startSocketModeFake, type SocketModeFake } from '../fakes/slack-socket.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { APPROVER, OUTSIDER, blockActionBody, commandBody, eventBody, seedLead, waitFor, type Harness } from './harness.ts';

const APP_TOKEN = 'xapp-1-A0APP0001-1234567890-socketmodetesttoken';
const BOT_TOKEN = 'xoxb-test-token';
const DEADLINE = 10_000;

let socket: SocketModeFake;
let fake: SlackFake;
let t: TestApp | null;

beforeEach(async () => {
  socket = await startSocketModeFake();
  fake = await startSlackFake({ token: BOT_TOKEN, socket: { appToken: APP_TOKEN, issueUrl: socket.issueUrl } });
  t = null;
});
afterEach(async () => {
  await t?.stop();
  await socket.close();
  await fake.close();
});

/** The whole app in Socket Mode; a signing secret is set too, to show Socket Mode wins over HTTP. */
async function startSocketApp(): Promise<TestApp> {
  t = await startTestApp({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 'e2e-slack-signing-secret', SLACK_API_URL: fake.apiUrl } });
  await socket.waitForConnection(DEADLINE);
  return t;
}

/** seedLead only needs the store and the policy; the app's own database is used. */
function harnessOf(app: TestApp): Harness {
  return { db: app.app.db, audit: app.app.audit, loaded: loadPolicy(join(app.dir, 'policy.json')), fake, clock: app.clock } as Pick<Harness, 'db' | 'audit' | 'loaded' | 'fake' | 'clock'> as Harness;
}

/** Socket Mode carries the same payloads as HTTP, already decoded: a command's fields, an interaction's object. */
const commandPayload = (user: string, text: string) => Object.fromEntries(new URLSearchParams(commandBody({ fake } as Harness, user, text)));
const actionPayload = (user: string, decisionId: string) => JSON.parse(new URLSearchParams(blockActionBody(user, ACTION_IDS.approve, decisionId)).get('payload')!) as Record<string, unknown>;
const decisionStatus = (app: TestApp, id: string) => app.app.db.prepare('SELECT status, decided_by FROM decisions WHERE id = ?').get(id) as { status: string; decided_by: string | null };

describe('Slack in Socket Mode', () => {
  it('connects through apps.connections.open with the app-level token, at SLACK_API_URL', async () => {
    const app = await startSocketApp();
    expect(app.app.slack.mode).toBe('socket');
    const opens = fake.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.token).toBe(APP_TOKEN);
    expect(socket.connections()).toBe(1);
    // The bot token still drives the Web API (Bolt's auth.test at start), never the app token.
    expect(fake.calls.filter((c) => c.method !== 'apps.connections.open').every((c) => c.token === BOT_TOKEN)).toBe(true);
    // /healthz reports the socket's state.
    expect(await (await fetch(`${app.url}/healthz`)).json()).toMatchObject({ slack: 'socket', slack_socket: 'connected' });
  });

  it('acks a /triage help envelope by its envelope_id and answers on the response_url', async () => {
    await startSocketApp();
    const { envelopeId, acked } = socket.push('slash_commands', commandPayload(APPROVER, 'help'));
    const ack = await acked;
    expect(ack.envelope_id).toBe(envelopeId);
    const reply = await waitFor(() => fake.callsTo('response_url')[0], DEADLINE);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.body.blocks)).toContain('/triage status');
  });

  it('an approver approving a held lead over the socket approves it, as over HTTP', async () => {
    const app = await startSocketApp();
    const { decisionId } = seedLead(harnessOf(app));
    expect(decisionStatus(app, decisionId).status).toBe('pending_review');
    const { envelopeId, acked } = socket.push('interactive', actionPayload(APPROVER, decisionId));
    expect((await acked).envelope_id).toBe(envelopeId);
    await waitFor(() => decisionStatus(app, decisionId).status === 'approved', DEADLINE);
    expect(decisionStatus(app, decisionId).decided_by).toBe(APPROVER);
    expect(app.app.db.prepare("SELECT actor FROM audit_log WHERE event = 'review_approve'").pluck().get()).toBe(APPROVER);
  });

  it('an outsider clicking approve over the socket gets the ephemeral refusal and changes nothing', async () => {
    const app = await startSocketApp();
    const { decisionId } = seedLead(harnessOf(app));
    const { acked } = socket.push('interactive', actionPayload(OUTSIDER, decisionId));
    await acked;
    const eph = await waitFor(() => fake.callsTo('chat.postEphemeral').find((c) => c.body.user === OUTSIDER), DEADLINE);
    expect(String(eph.body.text)).toMatch(/Only approvers/);
    expect(decisionStatus(app, decisionId).status).toBe('pending_review');
  });

  it('acks an events_api envelope and publishes App Home with the bot token', async () => {
    await startSocketApp();
    const event = JSON.parse(eventBody({ type: 'app_home_opened', user: APPROVER, channel: 'D0HOME0001', tab: 'home', event_ts: `${Date.now() / 1000}` })) as Record<string, unknown>;
    const { envelopeId, acked } = socket.push('events_api', event);
    expect((await acked).envelope_id).toBe(envelopeId);
    const publish = await waitFor(() => fake.callsTo('views.publish')[0], DEADLINE);
    expect(publish.body.user_id).toBe(APPROVER);
    expect(publish.token).toBe(BOT_TOKEN);
  });

  it('does not accept Slack requests on /slack/events: interactions come only over the socket', async () => {
    const app = await startSocketApp();
    const { decisionId } = seedLead(harnessOf(app));
    const res = await app.slackPost(blockActionBody(APPROVER, ACTION_IDS.approve, decisionId));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'slack_not_configured', message: expect.stringMatching(/Socket Mode/) });
    expect(decisionStatus(app, decisionId).status).toBe('pending_review');
  });

  it('stop() resolves only once the close handshake is done, and nothing reconnects', async () => {
    const app = await startSocketApp();
    const closed = socket.waitForClose(DEADLINE);
    await app.app.stop();
    // Dropping every connection right away must find the socket already closed normally, not mid-handshake.
    await socket.close();
    expect(await closed).toMatchObject({ code: 1000 });
    expect(socket.connections()).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    t = null; // already stopped; only its temp dir is left
    rmSync(app.dir, { recursive: true, force: true });
  });
});

describe('lead-triage serve in Socket Mode', () => {
  // A leaked timer or socket keeps the process alive: the SDK's own close-handshake timer alone is 30 s.
  it.each([
    { peer: 'answers the close frame', stalled: false },
    { peer: 'never answers the close frame', stalled: true },
  ])('exits by itself on SIGTERM when Slack $peer', async ({ stalled }) => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-socket-'));
    try {
      const server = await startServerProcess({
        DATABASE_PATH: join(dir, 'db.sqlite'), WEBHOOK_SECRET: 'socket-secret', ENRICH_WEBSITE_FETCH: 'false',
        SLACK_APP_TOKEN: APP_TOKEN, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl,
      });
      await socket.waitForConnection(DEADLINE);
      if (stalled) socket.stall();
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
      if (code === 'hung') server.child.kill('SIGKILL');
      expect(code).toBe(0);
      if (!stalled) expect(socket.closes.map((c) => c.code)).toEqual([1000]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Socket Mode start', () => {
  it('fails instead of hanging when Slack refuses the app-level token', async () => {
    const db = openDb(':memory:');
    const slack = createSlack({
      config: loadConfig({ SLACK_APP_TOKEN: 'xapp-1-revoked', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' }),
      db, audit: new AuditLog(db), leads: new LeadStore(db), loaded: loadPolicy('data/policy.json'), logger: silentLogger(), decide, clock: Date.now, metrics: createMetrics(),
      reprocess: () => ({ job_id: 1 }),
    });
    try {
      await expect(slack.start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
      expect(fake.callsTo('apps.connections.open').map((c) => c.token)).toContain('xapp-1-revoked');
      expect(socket.connections()).toBe(0);
    } finally {
      await slack.stop();
      db.close();
    }
  });
});
