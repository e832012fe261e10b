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
    // message.*: the assignee's reply in a lead card's thread is their first touch (stops the SLA ladder).
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'message.channels', 'message.groups']);
  });

  it('asks only for the scopes the code uses', () => {
    // chat.postMessage/update/postEphemeral → chat:write; /triage → commands; approver group → usergroups:read;
    // claimer's email for the HubSpot owner (users.info) → users:read + users:read.email;
    // finding a post whose outcome was unknown (conversations.history/replies) → channels:history + groups:history
    // (public and private channels) and, for direct messages to a lead's owner or a pool manager, conversations.open
    // → im:write and the same lookup in the DM → im:history. channels:history/groups:history also bring the
    // message events of a card's thread. check-config --online reads each policy channel (conversations.info)
    // → channels:read + groups:read.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['channels:history', 'channels:read', 'chat:write', 'commands', 'groups:history', 'groups:read', 'im:history', 'im:write', 'usergroups:read', 'users:read', 'users:read.email']);
  });
});
