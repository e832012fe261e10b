import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.ts';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8'));

describe('manifest.json', () => {
  it('points events, interactivity and /triage at /slack/events over HTTPS', () => {
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, manifest.features.slash_commands[0].url];
    for (const url of urls) expect(new URL(url).protocol === 'https:' && new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/triage']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
  });

  it('asks only for the scopes the code uses', () => {
    // chat.postMessage/update/postEphemeral → chat:write; /triage → commands; approver group → usergroups:read;
    // claimer's email for the HubSpot owner (users.info) → users:read + users:read.email;
    // finding a post whose outcome was unknown (conversations.history/replies) → channels:history + groups:history
    // (public and private channels; the bot posts no DMs yet, so no im:history).
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['channels:history', 'chat:write', 'commands', 'groups:history', 'usergroups:read', 'users:read', 'users:read.email']);
  });
});
