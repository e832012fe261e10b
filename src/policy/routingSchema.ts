import { z } from 'zod';
import { INTENTS } from '../core/classification.ts';
import { HoursError, isValidTimeZone, parseHours } from '../routing/hours.ts';
import { duration, hubspotOwnerId, slackChannel, slackUser } from './fields.ts';

const hoursExpression = z.string().superRefine((expr, ctx) => {
  try {
    parseHours(expr);
  } catch (err) {
    if (!(err instanceof HoursError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

export const PersonSchema = z
  .object({
    name: z.string().min(1).max(120),
    hubspot_owner_id: hubspotOwnerId.optional(),
    timezone: z.string().refine(isValidTimeZone, 'an IANA time zone like "Europe/Berlin"'),
    hours: hoursExpression.describe('Working hours in the person\'s own time zone, e.g. "Mon-Fri 09:00-17:30" or "Mon-Thu 09:00-17:30, Fri 09:00-13:00"'),
    booking_url: z.url({ protocol: /^https$/ }).optional().describe('Offered to the prospect in the acknowledgement email as {{assignee_booking_url}}'),
    active: z.boolean().default(true).describe('false takes the person out of every pool and of account-owner routing without deleting them'),
  })
  .strict();

const poolName = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a pool name: lower-case letters, digits, - or _');

export const PoolSchema = z
  .object({
    members: z.array(z.object({ user: slackUser, weight: z.number().int().min(1).max(100).default(1) }).strict()).min(1, 'a pool needs at least one member'),
    caps: z.object({ per_day: z.number().int().min(1).optional(), per_week: z.number().int().min(1).optional() }).strict().default({}),
    window: z.enum(['day', 'week', 'month']).default('week').describe('Fairness window: shares are compared over the last 24 h, 7 days or 30 days'),
    always_open: z.boolean().default(false).describe('true: members are eligible outside their working hours (a 24/7 pool)'),
    manager: slackUser.optional().describe('Alerted when nobody is eligible and when the SLA ladder escalates'),
    fallback: z.string().default('queue').describe('"queue": post in the queue channel unassigned and alert the manager; or the name of another pool to try first'),
  })
  .strict();

export const SlaStepSchema = z.object({ after: duration, do: z.enum(['remind', 'reassign', 'escalate']) }).strict();

export const RoutingRuleSchema = z
  .object({
    name: z.string().max(80).optional(),
    when: z
      .object({
        country: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code like "DE"')).optional(),
        region: z.array(z.enum(['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'])).optional().describe('Continent codes of the company\'s country'),
        employees_min: z.number().int().min(0).optional(),
        employees_max: z.number().int().min(0).optional(),
        industry: z.array(z.string().min(1)).optional(),
        intent: z.array(z.enum(INTENTS)).optional(),
        source: z.array(z.string().min(1)).optional().describe('Form vendor: typeform, tally, webflow, formspree, hubspot, generic'),
        utm_source: z.array(z.string().min(1)).optional(),
        utm_medium: z.array(z.string().min(1)).optional(),
        utm_campaign: z.array(z.string().min(1)).optional(),
        words: z.array(z.string().min(1)).optional().describe('Any of these words or phrases in the message (stemmed, case-insensitive)'),
      })
      .strict(),
    queue: z.enum(['sales', 'support', 'founder']),
    pool: z.string().optional(),
  })
  .strict();

export const QueueSchema = z
  .object({
    channel: slackChannel,
    /** Mentioned by the first reminder when the queue has no pool. */
    owners: z.array(slackUser).default([]),
    pool: z.string().optional().describe('Who owns this queue\'s leads: weighted round robin over this pool'),
    sla: z.array(SlaStepSchema).optional().describe('The SLA ladder from assignment to first touch; default: one reminder after sla.first_touch_minutes'),
    clock: z.enum(['working_hours', 'always']).default('working_hours'),
  })
  .strict();

export type Person = z.infer<typeof PersonSchema>;
export type Pool = z.infer<typeof PoolSchema>;
export type SlaStep = z.infer<typeof SlaStepSchema>;
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;
export { poolName };
