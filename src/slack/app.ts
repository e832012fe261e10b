import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type LogLevel } from '@slack/bolt';
import type { Config } from '../config/env.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { EffectHandler } from '../outbox/types.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { DecideFn } from '../pipeline/stages.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { LeadStore } from '../store/leads.ts';
import { createApprovers } from './approvers.ts';
import { createCardEffects, type CardEffectKind } from './cardEffects.ts';
import { createNudgeEffects, type NudgeEffectKind } from '../nudges/slackEffects.ts';
import { createRefreshEffects } from './refreshEffects.ts';
import { createAssignmentEffects, type AssignmentEffectKind } from './assignmentEffects.ts';
import type { ReprocessFn, SlackContext } from './context.ts';
import * as actions from './listeners/actions/index.ts';
import * as commands from './listeners/commands/index.ts';
import * as events from './listeners/events/index.ts';
import * as views from './listeners/views/index.ts';
import { createErasureEffects } from './erasureEffects.ts';
import { indexLeadPosts, recordedNotifier, webNotifier, type Notifier } from './notifier.ts';
import { createInflightLedger } from '../outbox/inflight.ts';

export interface SlackDeps {
  config: Config;
  db: Db;
  audit: AuditLog;
  leads: LeadStore;
  loaded: LoadedPolicy;
  logger: Logger;
  decide: DecideFn;
  reprocess: ReprocessFn;
  /** The app's clock (injected in tests): routing and the SLA ladder read it. */
  clock: () => number;
  /** People's decisions and claims are counted where they are made. */
  metrics: Pick<Metrics, 'humanDecisions' | 'claims'>;
}

export interface SlackSurface {
  app: App | null;
  /** Mount at POST /slack/events (HTTP mode only). */
  requestListener: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  effectHandlers: Record<CardEffectKind | NudgeEffectKind | AssignmentEffectKind | 'slack_refresh_note' | 'slack_redact', EffectHandler>;
  mode: 'http' | 'socket' | 'recorded';
  /** Socket Mode only: the connection's last state and since when (ms), for /healthz. */
  socketState(): SocketState | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SocketState { state: string; since: number }
const SOCKET_STATES = ['connecting', 'authenticated', 'connected', 'reconnecting', 'disconnecting', 'disconnected'] as const;

/**
 * Builds the Slack surface from config. HTTP mode with a bot token + signing secret, Socket Mode
 * when an app token is set too, and otherwise no Bolt app at all: cards are recorded locally.
 */
export function createSlack(deps: SlackDeps): SlackSurface {
  const { config, logger } = deps;
  const { botToken, signingSecret, appToken, apiUrl } = config.slack;
  const socket = Boolean(botToken && appToken);
  const http = Boolean(botToken && signingSecret) && !socket;

  if (!socket && !http) {
    return {
      app: null,
      requestListener: null,
      effectHandlers: effectHandlersFor(deps, recordedNotifier(deps.db)),
      mode: 'recorded',
      socketState: () => null,
      start: async () => logger.info('Slack: calls recorded locally (no SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)'),
      stop: async () => undefined,
    };
  }

  // @slack/web-api retries for ~30 minutes and never times out by default; a click or a card cannot wait that long.
  // Rate-limited calls are rejected so the outbox reschedules them with Retry-After instead of blocking a worker.
  const clientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000, randomize: true },
    timeout: 5000,
    rejectRateLimitedCalls: true,
  };
  const boltLogLevel = config.logLevel === 'debug' || config.logLevel === 'trace' ? ('debug' as LogLevel) : ('warn' as LogLevel);
  const receiver = http ? new HTTPReceiver({ signingSecret: signingSecret!, endpoints: SLACK_EVENTS_PATH, logLevel: boltLogLevel }) : undefined;
  // The socket client's own WebClient calls apps.connections.open with the app token: it gets the same
  // base URL, timeout and retries through installerOptions.clientOptions (a copy: Bolt adds its logger to its own).
  const socketReceiver = socket
    ? new SocketModeReceiver({ appToken: appToken!, logLevel: boltLogLevel, installerOptions: { clientOptions: { ...clientOptions } } })
    : undefined;
  let socketState: SocketState = { state: 'not started', since: Date.now() };
  for (const state of SOCKET_STATES) socketReceiver?.client.on(state, () => { socketState = { state, since: Date.now() }; });
  const app = socketReceiver
    ? new App({ token: botToken, receiver: socketReceiver, socketMode: true, clientOptions, logLevel: boltLogLevel })
    : new App({ token: botToken, receiver, clientOptions, logLevel: boltLogLevel });

  const ctx: SlackContext = { ...deps, approvers: createApprovers(() => deps.loaded.policy, app.client, logger) };
  actions.register(app, ctx);
  views.register(app, ctx);
  commands.register(app, ctx);
  events.register(app, ctx);
  app.error(async (err) => {
    logger.error({ err: err.message, code: (err as { code?: string }).code }, 'slack listener error');
  });

  return {
    app,
    requestListener: receiver ? receiver.requestListener : null,
    // Posts get a client of their own that never retries: a retried post Slack had already accepted is a second card.
    effectHandlers: effectHandlersFor(deps, webNotifier(new webApi.WebClient(botToken, { ...clientOptions, retryConfig: { retries: 0 }, logLevel: boltLogLevel }))),
    mode: socket ? 'socket' : 'http',
    socketState: () => (socket ? socketState : null),
    // In HTTP mode the lead engineer's server owns the port; only Socket Mode opens its own connection.
    start: async () => {
      if (socket) await app.start();
      logger.info({ mode: socket ? 'socket' : 'http' }, 'Slack surface ready');
    },
    stop: async () => {
      if (socketReceiver) await stopSocket(app, socketReceiver);
    },
  };
}

/** Every outbox handler that posts to Slack, on one notifier (Web API or recorded). */
function effectHandlersFor(deps: SlackDeps, base: Notifier): SlackSurface['effectHandlers'] {
  const ledger = createInflightLedger(deps.db, { settleMs: deps.config.outbox.settleMs });
  const ctx = { ...deps, notifier: indexLeadPosts(deps.db, base), ledger };
  return {
    ...createCardEffects(ctx), ...createNudgeEffects(ctx), ...createRefreshEffects(ctx), ...createAssignmentEffects(ctx), ...createErasureEffects(ctx),
  };
}

const SOCKET_CLOSE_WAIT_MS = 5000;

/**
 * Bolt's stop() only sends the close frame and returns, so shutdown went on (database closed) with the
 * socket still open. Wait until the client reports it is disconnected; if Slack never answers the
 * close frame, a second disconnect() force-terminates the socket instead of the SDK's 30 s timer.
 */
async function stopSocket(app: App, receiver: SocketModeReceiver): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const disconnected = new Promise<boolean>((resolve) => receiver.client.once('disconnected', () => resolve(true)));
  await app.stop();
  const closed = await Promise.race([disconnected, new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), SOCKET_CLOSE_WAIT_MS); })]);
  clearTimeout(timer);
  if (!closed) await receiver.client.disconnect();
}
