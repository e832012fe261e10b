import type { Config } from '../../../config/env.ts';
import type { Policy } from '../../../policy/schema.ts';
import { checkAnthropic } from './anthropic.ts';
import { checkHubspot } from './hubspot.ts';
import { checkSlack } from './slack.ts';

export interface OnlineReport {
  checked: string[];
  problems: string[];
}

export interface OnlineOptions {
  /** Per call; the default suits a person waiting at a terminal. */
  timeoutMs?: number;
}

/**
 * `check-config --online`: with the configured credentials only, what the policy and the environment name is
 * asked of Slack, HubSpot and Anthropic. Every call is bounded (a timeout, at most one retry) and costs nothing.
 * Problems are `<policy path or VARIABLE>: <what is wrong and how to fix it>`; they never hold a credential,
 * because no vendor's message is ever echoed, only codes and statuses.
 */
export async function checkOnline(config: Config, policy: Policy, opts: OnlineOptions = {}): Promise<OnlineReport> {
  const report: OnlineReport = { checked: [], problems: [] };
  const timeoutMs = opts.timeoutMs ?? 5_000;
  await checkSlack(config, policy, report, timeoutMs);
  await checkHubspot(config, policy, report, timeoutMs);
  await checkAnthropic(config, policy, report, timeoutMs);
  return report;
}

/** How check-config prints a problem: an environment variable as start-up names a bad one, a policy path with its file. */
export function problemLine(problem: string, policyPath: string): string {
  return /^[A-Z][A-Z0-9_]*: /.test(problem) ? `environment: ${problem}` : `${policyPath}: ${problem}`;
}
