import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cron, { type ScheduledTask } from 'node-cron';
import { embeddedDefaults, halfConfigured, type Config } from './config/env.ts';
import { assertStartable } from './config/startup.ts';
import { loadPolicy, type LoadedPolicy } from './policy/load.ts';
import { openDb, type Db } from './store/db.ts';
import { AuditLog } from './store/audit.ts';
import { LeadStore } from './store/leads.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { registerStoreGauges } from './observability/storeGauges.ts';
import { describeHealth } from './observability/health.ts';
import type { Logger } from './observability/logger.ts';
import { createIntake } from './intake/accept.ts';
import { createHttpServer } from './http/server.ts';
import { createConsole } from './console/index.ts';
import { JobWorker, type JobHandler } from './jobs/worker.ts';
import { createLeadProcessor } from './pipeline/process-lead.ts';
import { createHubspotContactFetcher } from './intake/hubspot-events/fetch-contact.ts';
import { isKillSwitchOn } from './pipeline/kill-switch.ts';
import { reprocessLead } from './pipeline/reprocess.ts';
import { createEraseHandler } from './privacy/eraseJob.ts';
import { retentionDue, runRetention } from './privacy/retention.ts';
import { queueOverdueReviewReminders } from './review/reminders.ts';
import { runSlaLadder } from './sla/sweep.ts';
import { crmOwnerMap } from './routing/people.ts';
import { reloadPolicy, type ReloadDeps } from './policy/reload.ts';
import { watchPolicy } from './policy/watch.ts';
import { queueDailyDigest } from './nudges/digest.ts';
import { createClassifier, createOfflineClassifier } from './classify/index.ts';
import { PROMPT_VERSION } from './classify/claude/prompt.ts';
import { recordDecidingVersions, recordPolicyVersion } from './policy/versions.ts';
import { shadowSource } from './policy/shadow.ts';
import { decide } from './policy/decide.ts';
import { createCrm } from './crm/index.ts';
import { createEnricher } from './enrich/index.ts';
import { combineDispatchers, createDispatcher } from './outbox/dispatcher.ts';
import { EFFECT_KINDS, type EffectKind } from './core/effects.ts';
import { createCrmEffectHandlers } from './outbox/crm-effects.ts';
import { createEmailEffectHandler } from './email/effect.ts';
import { createSlack } from './slack/app.ts';
import { createOwnerResolver } from './crm/owner-resolver.ts';
import { EnrichmentCache } from './enrich/cache.ts';
import { slackEmailLookup } from './slack/user-email.ts';
import { claimNotifier } from './slack/claim-notice.ts';
import { combinedMetrics } from './observability/combinedMetrics.ts';
import type { PipelineLink } from './runtime/supervisor.ts';

export interface AppOptions {
  config: Config;
  loaded: LoadedPolicy;
  logger: Logger;
  /** Tests run the worker and dispatcher by hand (drain/runOnce) instead of on timers. */
  background?: boolean;
  /** Injected in tests: routing and the SLA ladder read working hours, caps and due times at this instant. */
  clock?: () => number;
  /**
   * `all` (default): one process does everything. `edge`: HTTP, Slack listeners and the console, with the pipeline in
   * another process reached through `pipeline`. `pipeline`: the job worker, the outbox dispatcher and the schedules only.
   */
  role?: AppRole;
  pipeline?: PipelineLink;
  /** Pipeline role: told after the policy file was reloaded, so the edge adopts the same text. */
  onPolicyReloaded?: (hash: string) => void;
}

export type AppRole = 'all' | 'edge' | 'pipeline';

const CARD_KINDS: readonly EffectKind[] = ['slack_lead_card', 'slack_review_card'];

/** The one place that wires config, store, clients and Bolt together. Nothing here holds logic. */
export function createApp({ config, loaded, logger, background = true, clock = Date.now, role = 'all', pipeline, onPolicyReloaded }: AppOptions) {
  if (role === 'edge' && !pipeline) throw new Error('the edge role needs its pipeline process');
  assertStartable(config, loaded);
  const db: Db = openDb(config.databasePath);
  // The edge never pays for a WAL checkpoint inside a webhook's commit: the pipeline process's connection does them.
  if (role === 'edge') db.pragma('wal_autocheckpoint = 0');
  recordDecidingVersions(db, loaded, config.anthropic.apiKey ? PROMPT_VERSION : null);
  const audit = new AuditLog(db);
  const leads = new LeadStore(db);
  const metrics: Metrics = createMetrics();
  // Gauges read the store: the edge (or the one process) reports them, so two processes do not count them twice.
  if (role !== 'pipeline') registerStoreGauges(metrics, db, clock);
  const policy = () => loaded;

  const crm = createCrm(config, db, logger);
  const enricher = createEnricher({ db, config, crm, logger });
  const classifier = createClassifier({ anthropic: config.anthropic, policy: loaded.policy, logger });
  const offlineClassifier = createOfflineClassifier();
  const slack = createSlack({
    config, db, audit, leads, loaded, logger, decide, clock, metrics,
    reprocess: (leadId: string, actor: string) => reprocessLead(db, audit, leadId, actor),
  });
  // A lead's owner → CRM owner: the person's hubspot_owner_id or crm.owner_map, else their Slack email matched to a HubSpot owner.
  const slackClient = slack.app?.client ?? null;
  const findOwnerByEmail = crm.findOwnerByEmail;
  const owners = findOwnerByEmail
    ? createOwnerResolver({ ownerMap: () => crmOwnerMap(loaded.policy), emailOf: slackClient ? slackEmailLookup(slackClient) : null, findOwnerByEmail, cache: new EnrichmentCache(db) })
    : undefined;
  const tellClaimer = slackClient ? claimNotifier(db, slackClient, logger) : undefined;
  const { slack_lead_card, slack_review_card, ...slackEffects } = slack.effectHandlers;
  const cards = { slack_lead_card, slack_review_card };
  const effectsBase = { db, audit, logger, metrics, leaseMs: config.outbox.leaseMs };
  const dispatcher = combineDispatchers(
    createDispatcher({
      ...effectsBase,
      // Effects are order-independent (each CRM handler upserts its contact by email), so they may overlap.
      concurrency: 8,
      handlers: {
        ...createCrmEffectHandlers({ db, crm, policy: loaded, audit, logger, owners, tellClaimer }),
        email_ack: createEmailEffectHandler({ db, config, policy: loaded, logger }),
        ...slackEffects,
      },
      handledElsewhere: CARD_KINDS,
    }),
    // Cards have lanes of their own: a card goes out as soon as its decision commits, never behind a burst's CRM writes.
    createDispatcher({ ...effectsBase, concurrency: 8, handlers: cards, handledElsewhere: EFFECT_KINDS.filter((k) => !CARD_KINDS.includes(k)) }),
  );
  // HubSpot webhook-subscription events carry only ids: their contacts are read through the HubSpot CRM.
  const getContact = crm.name === 'hubspot' ? crm.getContactProperties?.bind(crm) : undefined;
  const processLead = createLeadProcessor({ db, audit, leads, policy, shadow: shadowSource(loaded, logger, (s) => recordPolicyVersion(db, s)), enricher, classifier, offlineClassifier, decide, logger, metrics, clock });
  const eraseLead = createEraseHandler({ db, audit, logger });
  // The effects a job queued (a card, a redaction) go out as soon as it commits, not at the dispatcher's next tick.
  const thenDispatch = (handler: JobHandler): JobHandler => async (job) => {
    const outcome = await handler(job);
    dispatcher.nudge();
    return outcome;
  };
  const worker = new JobWorker({
    db, audit, logger, metrics,
    concurrency: config.workerConcurrency,
    leaseMs: config.jobLeaseMs,
    mayRun: () => !isKillSwitchOn(db, loaded.policy),
    handlers: {
      process_lead: thenDispatch(processLead),
      ...(getContact ? { hubspot_contact: createHubspotContactFetcher({ db, audit, logger, getContact }) } : {}),
      erase_lead: thenDispatch(eraseLead),
    },
  });
  const intake = createIntake({ db, audit, config, logger });
  const webConsole = createConsole({ config, db, audit, leads, loaded, decide, logger, metrics, clock, slackMode: slack.mode });
  let ready = false;
  const server: Server = createHttpServer({
    db, logger, metrics, intake, console: webConsole, slackListener: slack.requestListener,
    onEnqueued: pipeline ? () => pipeline.nudge() : () => worker.nudge(),
    health: () => {
      const p = pipeline?.health();
      const loops = p ? { workerTick: p.workerTick, dispatcherPass: p.dispatcherPass, pipeline: { pid: p.pid, restarts: p.restarts } } : { workerTick: worker.lastTickAt, dispatcherPass: dispatcher.lastPassAt() };
      return describeHealth({ background: background && ready, ...loops, slack: slack.mode, socket: slack.socketState(), paused: isKillSwitchOn(db, loaded.policy) });
    },
    metricsText: pipeline ? () => combinedMetrics(metrics.registry, pipeline.metrics()) : undefined,
    ready: () => ready,
    slackUnavailable: config.slack.appToken ? 'Slack runs in Socket Mode (SLACK_APP_TOKEN is set): its requests arrive over the socket, not here' : undefined,
  });
  const tasks: ScheduledTask[] = [];
  let digestTask: ScheduledTask | null = null;
  const scheduleDigest = () => {
    void digestTask?.stop();
    digestTask = loaded.policy.digest.enabled ? cron.schedule(loaded.policy.digest.cron, () => { queueDailyDigest(db, audit, loaded.policy); }) : null;
  };
  const reloadDeps: ReloadDeps = {
    loaded, config, db, audit, logger, clock,
    onReloaded: (previous) => {
      recordPolicyVersion(db, loaded);
      if (background && JSON.stringify(previous.policy.digest) !== JSON.stringify(loaded.policy.digest)) scheduleDigest();
      onPolicyReloaded?.(loaded.hash);
    },
  };
  let policyWatch: ReturnType<typeof watchPolicy> | null = null;

  return {
    db, audit, leads, metrics, worker, dispatcher, slack, server, crm, intake, clock,
    /** One pass of the SLA ladder (the scheduler runs it every 15 s). */
    runSlaLadder: (now = clock()): number => runSlaLadder(db, audit, loaded.policy, now),
    /** Reads the policy file again (the watcher does this on every change). */
    reloadPolicy: () => reloadPolicy(reloadDeps),
    /** Port actually bound (useful with PORT=0 in tests). */
    port: (): number => (server.address() as AddressInfo).port,

    /** Edge role: the pipeline process reloaded the policy file; take the same text (a newer save is announced next). */
    adoptPolicy(hash: string): void {
      if (hash === loaded.hash) return;
      try {
        const next = loadPolicy(loaded.path);
        if (next.hash !== hash) return;
        Object.assign(loaded, next);
        logger.info({ policy_hash: hash }, 'policy adopted from the pipeline process');
      } catch (err) {
        logger.error({ err }, 'policy the pipeline reloaded could not be read here; the active policy stays');
      }
    },

    async start(): Promise<void> {
      if (role !== 'pipeline') {
        for (const line of embeddedDefaults(config)) logger.info(`embedded default: ${line}`);
        for (const line of halfConfigured(config)) logger.warn(`half-configured: ${line}`);
        if (webConsole.refusal) logger.warn(webConsole.refusal);
        logger.info({ policy: loaded.path, policy_hash: loaded.hash, policy_version: loaded.policy.version }, 'policy loaded');
        await slack.start();
      }
      // One watcher, in the process that runs the pipeline: it announces the reload, and the edge adopts it.
      if (background && role !== 'edge') {
        policyWatch = watchPolicy(reloadDeps);
        await policyWatch.ready;
      }
      if (role !== 'pipeline') {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => resolve());
        });
      }
      if (role !== 'pipeline') {
        const port = (server.address() as AddressInfo).port;
        logger.info({ port, console: webConsole.refusal ? null : `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/` }, 'lead-triage listening');
      }
      if (pipeline) await pipeline.start();
      if (background && role !== 'edge') {
        worker.start();
        dispatcher.start();
        tasks.push(cron.schedule('* * * * *', () => {
          queueOverdueReviewReminders(db, audit, loaded.policy);
        }));
        // Every 15 s, so each ladder step fires within 30 s of its due time.
        tasks.push(cron.schedule('*/15 * * * * *', () => {
          runSlaLadder(db, audit, loaded.policy, clock());
        }));
        scheduleDigest();
        const retention = () => {
          const run = runRetention(db, audit, loaded.policy.retention_days);
          if (run.queued) logger.info({ queued: run.queued, cutoff: run.cutoff, more: run.more }, 'retention: leads queued for erasure');
          worker.nudge();
        };
        // Hourly, bounded per run; at start-up too when the process was down for a due run.
        tasks.push(cron.schedule('17 * * * *', retention));
        if (retentionDue(db)) retention();
      }
      ready = true;
    },

    async stop(): Promise<void> {
      ready = false;
      for (const t of tasks) await t.stop();
      await digestTask?.stop();
      await policyWatch?.stop();
      if (role !== 'pipeline') {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
      }
      // The pipeline process finishes its in-flight work before the store closes.
      await pipeline?.stop();
      await worker.stop();
      await dispatcher.stop();
      if (role !== 'pipeline') await slack.stop();
      db.close();
    },
  };
}
export type App = ReturnType<typeof createApp>;
