import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { ActionSchema } from '../core/decision.ts';

const slackChannel = z.string().regex(/^[CGD][A-Z0-9]{6,}$|^#[a-z0-9_-]{1,80}$/, 'a Slack channel id (C0123…) or #name');
const slackUser = z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'a Slack user id (U0123…)');
const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,63}$/, 'a lower-case domain like example.com');

const QueueSchema = z.object({
  channel: slackChannel,
  /** Default owners for this queue, round-robined when the lead is not claimed. */
  owners: z.array(slackUser).default([]),
});

const WindowLimit = z.object({
  max: z.number().int().min(1),
  window_minutes: z.number().int().min(1).max(24 * 60),
});

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
      max_actions_per_run: z.number().int().min(0).max(20).default(5),
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
      })
      .default({ second_opinion: { enabled: false, model: 'claude-sonnet-4-5', grey_band: [0.55, 0.8], on_high_value: true } }),
    routing: z.object({
      queues: z.object({ sales: QueueSchema, support: QueueSchema, founder: QueueSchema }),
      review_channel: slackChannel,
    }),
    approvers: z
      .object({
        users: z.array(slackUser).default([]),
        usergroup: z.string().regex(/^S[A-Z0-9]{6,}$/, 'a Slack user group id (S0123…)').nullable().default(null),
      })
      .refine((a) => a.users.length > 0 || a.usergroup !== null, 'name at least one approver user or a user group'),
    sla: z.object({
      first_touch_minutes: z.number().int().min(1).default(15),
      review_minutes: z.number().int().min(1).default(30),
    }),
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
      /** CanonicalLead field → CRM property. Only mapped properties are ever written. */
      field_mapping: z.record(z.string(), z.string()),
      lifecycle_stage: z.string().default('lead'),
      /** Slack user id → HubSpot owner id, checked before the Slack-email lookup when a rep takes a lead. */
      owner_map: z.record(slackUser, z.string().regex(/^[0-9]{1,20}$/, 'a HubSpot owner id (digits)')).default({}),
    }),
    email: z.object({
      ack_enabled: z.boolean().default(false),
      from: z.string().default('hello@example.com'),
      template: z.string().default('ack-default'),
    }),
    retention_days: z.number().int().min(1).max(3650).default(365),
    kill_switch: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.icp.company_size.min_employees <= p.icp.company_size.max_employees, {
    path: ['icp', 'company_size'],
    message: 'min_employees must not exceed max_employees',
  });

export type Policy = z.infer<typeof PolicySchema>;
export type QueueName = keyof Policy['routing']['queues'];
