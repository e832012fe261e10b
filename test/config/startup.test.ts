import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { halfConfigured, loadConfig } from '../../src/config/env.ts';
import { startupProblems } from '../../src/config/startup.ts';
import { TEMPLATES_DIR } from '../../src/email/template.ts';
import { loadPolicy, type LoadedPolicy } from '../../src/policy/load.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'startup-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const example = loadPolicy('data/policy.json');
const withTemplate = (template: string, ackEnabled = true): LoadedPolicy => ({ ...example, policy: { ...example.policy, email: { ...example.policy.email, template, ack_enabled: ackEnabled } } });
const config = (env: Record<string, string> = {}) => loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), ...env });

describe('start-up checks', () => {
  it('pass on the shipped example', () => {
    expect(startupProblems(config(), example)).toEqual([]);
  });

  it('name a missing email template and one with a placeholder it does not know, before any lead', () => {
    expect(startupProblems(config(), withTemplate('ack-missing'))).toEqual([`data/policy.json: email.template: email template ${join(TEMPLATES_DIR, 'ack-missing.txt')} not found`]);
    writeFileSync(join(dir, 'ack-typo.txt'), 'Subject: Hi\n\nHello {{frist_name}}\n');
    expect(startupProblems(config(), withTemplate('ack-typo'), dir)).toEqual(['data/policy.json: email.template: email template ack-typo: unknown placeholder {{frist_name}}']);
    // No template is read when acknowledgements are off.
    expect(startupProblems(config(), withTemplate('ack-missing', false))).toEqual([]);
  });

  it('name a database path that cannot be a file', () => {
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'plain'), '');
    expect(startupProblems(config({ DATABASE_PATH: join(dir, 'folder') }), example)).toEqual([`DATABASE_PATH: ${join(dir, 'folder')} is a folder; name a file in it, e.g. ${join(dir, 'folder')}/lead-triage.sqlite`]);
    expect(startupProblems(config({ DATABASE_PATH: join(dir, 'plain', 'db.sqlite') }), example)).toEqual([`DATABASE_PATH: ${join(dir, 'plain')} is a file, so ${join(dir, 'plain', 'db.sqlite')} cannot be created`]);
    // Missing folders are created by openDb.
    expect(startupProblems(config({ DATABASE_PATH: join(dir, 'a', 'b', 'db.sqlite') }), example)).toEqual([]);
  });
});

describe('half-configured integrations', () => {
  it('name a Slack bot token with neither transport, and a transport without the bot token', () => {
    expect(halfConfigured(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toEqual([
      'Slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP), so cards are only recorded locally',
    ]);
    expect(halfConfigured(loadConfig({ SLACK_SIGNING_SECRET: 's' }))).toEqual(['Slack: SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN, so cards are only recorded locally']);
    expect(halfConfigured(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toEqual([]);
    expect(halfConfigured(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toEqual([]);
  });

  it('name a base URL set without its credential', () => {
    expect(halfConfigured(loadConfig({ HUBSPOT_BASE_URL: 'http://127.0.0.1:1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:2' }))).toEqual([
      'ANTHROPIC_BASE_URL is set without ANTHROPIC_API_KEY, so it is not used',
      'HUBSPOT_BASE_URL is set without HUBSPOT_ACCESS_TOKEN, so it is not used',
    ]);
    expect(halfConfigured(loadConfig({}))).toEqual([]);
  });
});
