import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { createApprovers } from '../../src/slack/approvers.ts';
import { startSlackFake, type SlackFake } from '../fakes/slack.ts';

let fake: SlackFake;
beforeEach(async () => { fake = await startSlackFake(); });
afterEach(async () => { await fake.close(); });

const base = loadPolicy('data/policy.json').policy;
const client = () => new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });

describe('approvers', () => {
  it('accepts listed users without calling Slack, and refuses everyone else', async () => {
    const approvers = createApprovers(() => base, client(), silentLogger());
    expect(await approvers.isApprover('U0APPROVE1')).toBe(true);
    expect(await approvers.isApprover('U0OUTSIDE1')).toBe(false);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(0);
  });

  it('resolves a user group through usergroups.users.list and caches it briefly', async () => {
    fake.setUsergroup('S0APPROVERS', ['U0GROUP001']);
    const approvers = createApprovers(() => ({ ...base, approvers: { users: [], usergroup: 'S0APPROVERS' } }), client(), silentLogger());
    expect(await approvers.isApprover('U0GROUP001')).toBe(true);
    expect(await approvers.isApprover('U0OUTSIDE1')).toBe(false);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(fake.callsTo('usergroups.users.list')[0]!.body.usergroup).toBe('S0APPROVERS');
  });

  it('fails closed when the group lookup fails', async () => {
    fake.failNext('usergroups.users.list', { error: 'missing_scope' });
    const approvers = createApprovers(() => ({ ...base, approvers: { users: ['U0APPROVE1'], usergroup: 'S0APPROVERS' } }), client(), silentLogger());
    expect(await approvers.isApprover('U0GROUP001')).toBe(false);
    expect(await approvers.isApprover('U0APPROVE1')).toBe(true);
  });
});
