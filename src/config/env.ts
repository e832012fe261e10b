import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { PROVIDERS, type Provider } from '../core/lead.ts';

const optionalSecret = z.string().trim().min(1).optional().catch(undefined);
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const blankToUndefined = (env: NodeJS.ProcessEnv): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback unless the operator says otherwise; the container image sets HOST=0.0.0.0. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/lead-triage.sqlite'),
  POLICY_PATH: z.string().min(1).default('data/policy.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must start with xoxb-').optional(),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must start with xapp-').optional(),
  SLACK_API_URL: optionalUrl,
  ANTHROPIC_API_KEY: optionalSecret,
  ANTHROPIC_BASE_URL: optionalUrl,
  CLASSIFIER_MODEL: z.string().min(1).default('claude-haiku-4-5'),
  HUBSPOT_ACCESS_TOKEN: optionalSecret,
  HUBSPOT_BASE_URL: optionalUrl,
  PDL_API_KEY: optionalSecret,
  PDL_BASE_URL: optionalUrl,
  ENRICH_WEBSITE_FETCH: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  TYPEFORM_SECRET: optionalSecret,
  TALLY_SIGNING_SECRET: optionalSecret,
  WEBFLOW_SECRET: optionalSecret,
  FORMSPREE_SECRET: optionalSecret,
  HUBSPOT_CLIENT_SECRET: optionalSecret,
  WEBHOOK_SECRET: optionalSecret,
  /** The public URL HubSpot calls us at; HubSpot's v3 signature covers the full request URI. */
  PUBLIC_BASE_URL: optionalUrl,
  /** Required for the console when HOST is not loopback: anyone who reaches the port reaches the console. */
  CONSOLE_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** Who the console acts as on embedded defaults (no Slack): a Slack-like user id the policy lists as an approver. */
  CONSOLE_OPERATOR: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must look like a Slack user id (U…)').default('U0OPERATOR'),
  /** Jobs in flight at once. Each spends most of its time waiting on the model and enrichment, not on the CPU. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /** serve runs the pipeline in a child process (default), so its work never delays intake; `inline` keeps one process. */
  PIPELINE_PROCESS: z.enum(['child', 'inline']).default('child'),
  /** How long a worker owns a job before another may take it over (a crashed worker's job resumes after this). */
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** The same for an outbox effect (a CRM write, a Slack post); renewed while the call runs. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** After a HubSpot create or Slack post whose outcome is unknown, how long to wait before looking for what it did. */
  OUTBOX_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  policyPath: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  publicBaseUrl: string | undefined;
  workerConcurrency: number;
  pipelineProcess: 'child' | 'inline';
  jobLeaseMs: number;
  outbox: { leaseMs: number; settleMs: number };
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  anthropic: { apiKey?: string; baseUrl?: string; model: string };
  hubspot: { accessToken?: string; baseUrl?: string };
  enrichment: { pdlApiKey?: string; pdlBaseUrl?: string; websiteFetch: boolean };
  smtpUrl: string | undefined;
  console: { token?: string; operator: string };
  webhookSecrets: Record<Provider, string | undefined>;
}

const MS = (min: number, max: number) => `a whole number of milliseconds from ${min} to ${max}`;
const URL_VARS = ['SLACK_API_URL', 'ANTHROPIC_BASE_URL', 'HUBSPOT_BASE_URL', 'PDL_BASE_URL', 'PUBLIC_BASE_URL'] as const;

/** What a valid value looks like, in words, for the variables that can be wrong. */
const EXPECTED: Partial<Record<keyof z.input<typeof EnvSchema>, string>> = {
  PORT: 'a port number (1–65535)',
  HOST: 'an interface address or host name (127.0.0.1 for this machine only, 0.0.0.0 for every interface)',
  LOG_LEVEL: 'a log level (fatal, error, warn, info, debug, trace or silent)',
  SLACK_BOT_TOKEN: 'a Slack bot token (it starts with xoxb-)',
  SLACK_APP_TOKEN: 'a Slack app-level token (it starts with xapp-)',
  SMTP_URL: 'an smtp:// or smtps:// URL',
  CONSOLE_TOKEN: 'a token of at least 16 characters',
  CONSOLE_OPERATOR: 'a Slack-like user id (U followed by capitals and digits)',
  ENRICH_WEBSITE_FETCH: 'true or false',
  WORKER_CONCURRENCY: 'a whole number from 1 to 256',
  PIPELINE_PROCESS: 'child or inline',
  JOB_LEASE_MS: MS(500, 3_600_000),
  OUTBOX_LEASE_MS: MS(500, 3_600_000),
  OUTBOX_SETTLE_MS: MS(0, 3_600_000),
  ...Object.fromEntries(URL_VARS.map((k) => [k, 'an http:// or https:// URL'])),
};

/**
 * Never echoed: anything named like a credential, and any URL that could carry a user and password
 * (an SMTP URL does by design; `https://user:pass@host` is possible for the others).
 */
function withheld(name: string, value: string): string | null {
  if (/(_TOKEN|_SECRET|_KEY|_PASSWORD)$/.test(name)) return 'it is a secret';
  if (name.endsWith('_URL') && value.includes('@')) return 'it may hold credentials';
  return null;
}

/** `PORT: "abc" is not a port number (1–65535)`; for a secret, the same without the value. */
export function describeBadVariable(name: string, value: string | undefined, zodMessage: string): string {
  const expected = EXPECTED[name as keyof typeof EXPECTED];
  const what = expected ? `is not ${expected}` : `is invalid (${zodMessage})`;
  if (value === undefined) return `${name}: ${what}`;
  const secret = withheld(name, value);
  if (secret) return `${name}: the value set ${what}; it is not shown because ${secret}`;
  const clipped = value.length > 60 ? `${value.slice(0, 59)}…` : value;
  return `${name}: ${JSON.stringify(clipped)} ${what}`;
}

/** Parses the environment once at boot; everything below app.ts receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    // One line per bad variable, so an operator fixes them all in one go.
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))];
    const lines = names.map((name) => `environment: ${describeBadVariable(name, env[name], parsed.error.issues.find((i) => String(i.path[0]) === name)?.message ?? 'invalid')}`);
    throw new AppError('config_invalid', lines.join('\n'), names[0]);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    policyPath: e.POLICY_PATH,
    logLevel: e.LOG_LEVEL,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    workerConcurrency: e.WORKER_CONCURRENCY,
    pipelineProcess: e.PIPELINE_PROCESS,
    jobLeaseMs: e.JOB_LEASE_MS,
    outbox: { leaseMs: e.OUTBOX_LEASE_MS, settleMs: e.OUTBOX_SETTLE_MS },
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, model: e.CLASSIFIER_MODEL },
    hubspot: { accessToken: e.HUBSPOT_ACCESS_TOKEN, baseUrl: e.HUBSPOT_BASE_URL },
    enrichment: { pdlApiKey: e.PDL_API_KEY, pdlBaseUrl: e.PDL_BASE_URL, websiteFetch: e.ENRICH_WEBSITE_FETCH },
    smtpUrl: e.SMTP_URL,
    console: { token: e.CONSOLE_TOKEN, operator: e.CONSOLE_OPERATOR },
    webhookSecrets: Object.fromEntries(PROVIDERS.map((p) => [p, e[WEBHOOK_SECRET_VARIABLE[p]]])) as Record<Provider, string | undefined>,
  };
}

/** The variable each form vendor's signing secret is read from (send-sample names it when it is missing). */
export const WEBHOOK_SECRET_VARIABLE = {
  typeform: 'TYPEFORM_SECRET',
  tally: 'TALLY_SIGNING_SECRET',
  webflow: 'WEBFLOW_SECRET',
  formspree: 'FORMSPREE_SECRET',
  hubspot: 'HUBSPOT_CLIENT_SECRET',
  generic: 'WEBHOOK_SECRET',
} as const satisfies Record<Provider, string>;

/** Which adapters run on embedded defaults, so start-up can say so plainly. */
export function embeddedDefaults(config: Config): string[] {
  const out: string[] = [];
  if (!config.slack.botToken && !config.slack.appToken) out.push('Slack: calls recorded locally (no SLACK_BOT_TOKEN)');
  if (!config.anthropic.apiKey) out.push('classifier: offline (no ANTHROPIC_API_KEY)');
  if (!config.hubspot.accessToken) out.push('CRM: local SQLite (no HUBSPOT_ACCESS_TOKEN)');
  if (!config.smtpUrl) out.push('email: recorded locally (no SMTP_URL)');
  for (const [provider, secret] of Object.entries(config.webhookSecrets)) {
    if (!secret) out.push(`webhook ${provider}: refused with 503 until its secret is set`);
  }
  return out;
}

/**
 * Integrations set up halfway, which would otherwise run silently on their embedded default: a warning
 * at start-up, an error in check-config.
 */
export function halfConfigured(config: Config): string[] {
  const { slack, anthropic, hubspot, enrichment } = config;
  const out: string[] = [];
  if (slack.botToken && !slack.appToken && !slack.signingSecret) {
    out.push('Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP), so cards are only recorded locally');
  }
  if (!slack.botToken && (slack.appToken || slack.signingSecret)) {
    out.push(`Slack: ${slack.appToken ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set without SLACK_BOT_TOKEN, so cards are only recorded locally`);
  }
  const urlsWithoutCredential: Array<[url: string | undefined, urlName: string, credential: unknown, credentialName: string]> = [
    [slack.apiUrl, 'SLACK_API_URL', slack.botToken, 'SLACK_BOT_TOKEN'],
    [anthropic.baseUrl, 'ANTHROPIC_BASE_URL', anthropic.apiKey, 'ANTHROPIC_API_KEY'],
    [hubspot.baseUrl, 'HUBSPOT_BASE_URL', hubspot.accessToken, 'HUBSPOT_ACCESS_TOKEN'],
    [enrichment.pdlBaseUrl, 'PDL_BASE_URL', enrichment.pdlApiKey, 'PDL_API_KEY'],
  ];
  for (const [url, urlName, credential, credentialName] of urlsWithoutCredential) {
    if (url && !credential) out.push(`${urlName} is set without ${credentialName}, so it is not used`);
  }
  return out;
}

