import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';

export const slackChannel = z.string().regex(/^[CGD][A-Z0-9]{6,}$|^#[a-z0-9_-]{1,80}$/, 'a Slack channel id (C0123…) or #name');
export const slackUser = z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'a Slack user id (U0123…)');
export const hubspotOwnerId = z.string().regex(/^[0-9]{1,20}$/, 'a HubSpot owner id (digits)');
export const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,63}$/, 'a lower-case domain like example.com');

/**
 * "30s", "15m", "2h", "1d". Kept as text in the parsed policy (read with `durationMs`), so a parsed policy
 * parses again unchanged.
 */
export const duration = z.string().refine((s) => parseDuration(s) !== null, 'a duration like "30s", "15m", "2h" or "1d"');

/** A duration the schema has already validated, in milliseconds. */
export const durationMs = (text: string): number => parseDuration(text) as number;
