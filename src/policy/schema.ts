import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { ActionSchema } from '../core/decision.ts';
import { WorkedExampleSchema } from '../classify/examples.ts';
import { unknownLeadField } from '../core/leadFields.ts';
import { domain, duration, durationMs, hubspotOwnerId, slackChannel, slackUser } from './fields.ts';
import { checkRoutingReferences } from './routingReferences.ts';
import { PersonSchema, PoolSchema, poolName, QueueSchema, RoutingRuleSchema } from './routingSchema.ts';

const DAY_MS = 86_400_000;
const minutesOf = (ms: number) => ms / 60_000;

// `window: "1h"` or the older `window_minutes: 60`; both read as window_minutes.
const WindowLimit = z
  .object({
    max: z.number().int().min(1),
    window_minutes: z.number().positive().max(24 * 60).optional(),
    window: duration.refine((s) => durationMs(s) >= 60_000 && durationMs(s) <= DAY_MS, 'between "1m" and "1d"').optional(),
  })
  .strict()
  .refine((w) => w.window_minutes !== undefined || w.window !== undefined, 'give window (like "1h") or window_minutes')
  .transform(({ max, window_minutes, window }) => ({ max, window_minutes: window !== undefined ? minutesOf(durationMs(window)) : (window_minutes as number) }));

export const PolicySchema = z
  .object({
    $schema: z.string().optional(),
    version: z.string().min(1).describe('Free-form label for this policy revision; its content hash is recorded too'),
    company: z.object({
      name: z.string().min(1),
      description: z.string().min(1),
      products: z.array(z.string()).default([]),
      domains: z.array(domain).default([]).describe('Our own domains: a sender domain that imitates one of them (or a competitor\'s) is held for review'),
    }),
    icp: z.object({
      company_size: z.object({ min_employees: z.number().int().min(1), max_employees: z.number().int().min(1) }),
      industries: z.array(z.string()).default([]),
      regions: z.array(z.string()).default([]),
      fit_indicators: z.array(z.string()).default([]),
      disqualifiers: z.array(z.string()).default([]).describe('Phrases that disqualify a lead from automatic routing (students, job seekers, competitors …)'),
      competitor_domains: z.array(domain).default([]),
      high_value_indicators: z.array(z.string()).default([]),
    }),
    blocklist: z.object({
      domains: z.array(domain).default([]),
      emails: z.array(z.email()).default([]),
    }),
    rate_limits: z.object({
      per_ip: WindowLimit,
      per_domain: WindowLimit,
      on_exceed: z.enum(['hold', 'reject']).default('hold'),
    }),
    thresholds: z.object({
      confidence_floor: z.number().min(0).max(1).default(0.75),
      free_mail_confidence_cap: z.number().min(0).max(1).default(0.6),
      min_message_words: z.number().int().min(0).default(4),
      high_value_fit_score: z.number().int().min(0).max(100).default(85),
      spam_max_fit_score: z.number().int().min(0).max(100).default(30),
    }),
    constraints: z.object({
      allowed_actions: z.array(ActionSchema),
      forbidden_actions: z.array(ActionSchema).default([]),
      require_approval: z.array(ActionSchema).default([]),
      max_actions_per_run: z.number().int().min(0).max(20).default(6),
    }),
    classifier: z
      .object({
        second_opinion: z
          .object({
            enabled: z.boolean().default(false),
            model: z.string().min(1).default('claude-sonnet-4-5'),
            grey_band: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.55, 0.8]),
            on_high_value: z.boolean().default(true),
          })
          .default({ enabled: false, model: 'claude-sonnet-4-5', grey_band: [0.55, 0.8], on_high_value: true }),
        examples: z.array(WorkedExampleSchema).max(60).optional()
          .describe('Worked examples shown to the model (submission, correct classification, why). Replaces the shipped set, written for the example company; [] means none. Fewer examples can drop the prompt under the model\'s caching minimum'),
        daily_budget_usd: z.number().min(0).optional()
          .describe('Model spend per UTC day; once reached, new leads are read by the embedded classifier and held for review until 00:00 UTC'),
      })
      .default({ second_opinion: { enabled: false, model: 'claude-sonnet-4-5', grey_band: [0.55, 0.8], on_high_value: true } }),
    people: z.record(slackUser, PersonSchema).default({}).describe('Everyone who can own a lead, by Slack user id'),
    pools: z.record(poolName, PoolSchema).default({}).describe('Groups that share a queue\'s leads by weighted round robin'),
    routing: z.object({
      account_owner_first: z.boolean().default(true).describe('A known contact\'s or company\'s CRM owner who is an active person here gets the lead'),
      rules: z.array(RoutingRuleSchema).default([]).describe('First match wins: picks the queue and, optionally, the pool'),
      queues: z.object({ sales: QueueSchema, support: QueueSchema, founder: QueueSchema }),
      review_channel: slackChannel,
    }),
    approvers: z
      .object({
        users: z.array(slackUser).default([]),
        usergroup: z.string().regex(/^S[A-Z0-9]{6,}$/, 'a Slack user group id (S0123…)').nullable().default(null),
      })
      .refine((a) => a.users.length > 0 || a.usergroup !== null, 'name at least one approver user or a user group'),
    // `first_touch: "15m"` or the older `first_touch_minutes: 15` (likewise review); both read as minutes.
    sla: z
      .object({
        first_touch_minutes: z.number().positive().optional(),
        review_minutes: z.number().positive().optional(),
        first_touch: duration.optional(),
        review: duration.optional(),
      })
      .strict()
      .transform((s) => ({
        first_touch_minutes: s.first_touch !== undefined ? minutesOf(durationMs(s.first_touch)) : (s.first_touch_minutes ?? 15),
        review_minutes: s.review !== undefined ? minutesOf(durationMs(s.review)) : (s.review_minutes ?? 30),
      })),
    // Optional so existing policy files stay valid; the defaults post on weekday mornings to the review channel.
    digest: z
      .object({
        enabled: z.boolean().default(true),
        cron: z.string().refine((e) => isValidCron(e), 'a cron expression node-cron accepts, e.g. "0 9 * * 1-5"').default('0 9 * * 1-5')
          .describe('When the daily digest is posted, in the server time zone; at most one digest per UTC day is posted'),
        channel: slackChannel.optional().describe('Where the digest goes; defaults to routing.review_channel'),
      })
      .default({ enabled: true, cron: '0 9 * * 1-5' }),
    crm: z.object({
      /** Lead field (see LEAD_FIELDS) → CRM property. Only mapped properties are ever written. */
      field_mapping: z.record(z.string(), z.string().min(1)).superRefine((mapping, ctx) => {
        for (const field of Object.keys(mapping)) {
          const why = unknownLeadField(field);
          if (why) ctx.addIssue({ code: 'custom', path: [field], message: why });
        }
      }),
      lifecycle_stage: z.string().default('lead'),
      /** Slack user id → HubSpot owner id, checked before the Slack-email lookup when a rep takes a lead. */
      owner_map: z.record(slackUser, hubspotOwnerId).default({}),
    }),
    email: z.object({
      ack_enabled: z.boolean().default(false),
      from: z.string().default('hello@example.com'),
      template: z.string().default('ack-default'),
    }),
    retention_days: z.number().int().min(1).max(3650).default(365)
      .describe('Leads older than this many days are erased as an erasure on request erases them (every personal field; the audit log keeps its figures), checked hourly'),
    kill_switch: z.boolean().default(false),
    shadow: z.string().min(1).optional()
      .describe('A candidate policy file (a path relative to this file\'s folder) that also decides every new lead, with no effects; the digest and /triage policy report how often it disagrees'),
  })
  .strict()
  .refine((p) => p.icp.company_size.min_employees <= p.icp.company_size.max_employees, {
    path: ['icp', 'company_size'],
    message: 'min_employees must not exceed max_employees',
  })
  .superRefine(checkRoutingReferences);

export type Policy = z.infer<typeof PolicySchema>;
export type QueueName = keyof Policy['routing']['queues'];
