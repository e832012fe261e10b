import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Manifest {
  features: { slash_commands?: Array<Record<string, Json>>; shortcuts?: Array<Record<string, Json>> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest & Json;
const http = readJson('manifest.json');
const socket = readJson('manifest.socket.json');

const URL_KEYS = new Set(['url', 'request_url', 'message_menu_options_url', 'redirect_urls']);

/** Every place in the manifest that names a URL: a URL-bearing key, or any string that looks like one. */
function urlsIn(value: Json, path = '$'): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => urlsIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (URL_KEYS.has(k) ? [`${path}.${k}`] : urlsIn(v, `${path}.${k}`)));
  }
  return [];
}

/** A copy without URL-bearing keys and without the transport switch: what both manifests must share. */
function withoutTransport(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutTransport);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !URL_KEYS.has(k) && k !== 'socket_mode_enabled').map(([k, v]) => [k, withoutTransport(v)]));
  }
  return value;
}

const commandsOf = (m: Manifest) => (m.features.slash_commands ?? []).map((c) => withoutTransport(c));
const shortcutsOf = (m: Manifest) => (m.features.shortcuts ?? []).map((s) => withoutTransport(s));

describe('manifest.socket.json', () => {
  it('asks for exactly the bot scopes and bot events of manifest.json', () => {
    expect([...socket.oauth_config.scopes.bot].sort()).toEqual([...http.oauth_config.scopes.bot].sort());
    expect(socket.oauth_config.scopes.bot).toHaveLength(new Set(socket.oauth_config.scopes.bot).size);
    expect([...socket.settings.event_subscriptions.bot_events].sort()).toEqual([...http.settings.event_subscriptions.bot_events].sort());
  });

  it('declares the same slash commands and shortcuts, only without their URLs', () => {
    expect(commandsOf(socket)).toEqual(commandsOf(http));
    expect(commandsOf(socket).length).toBeGreaterThan(0);
    expect(shortcutsOf(socket)).toEqual(shortcutsOf(http));
  });

  it('turns Socket Mode on and names no URL anywhere (Slack would try to verify one)', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.interactivity.is_enabled).toBe(true);
    expect(urlsIn(socket)).toEqual([]);
    expect(http.settings.socket_mode_enabled).toBe(false);
  });

  it('differs from manifest.json in nothing else', () => {
    expect(withoutTransport(socket)).toEqual(withoutTransport(http));
  });
});

/** The variable names of the zod object bound to `EnvSchema` in src/config/env.ts, read from its syntax tree. */
function envSchemaKeys(): string[] {
  const file = 'src/config/env.ts';
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let keys: string[] | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'EnvSchema') {
      const init = node.initializer;
      const arg = init && ts.isCallExpression(init) ? init.arguments[0] : undefined;
      if (!arg || !ts.isObjectLiteralExpression(arg)) throw new Error(`${file}: EnvSchema is no longer z.object({...}); update this test`);
      keys = arg.properties.map((p) => {
        if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new Error(`${file}: EnvSchema has a computed or spread key`);
        return p.name.text;
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!keys) throw new Error(`${file}: no EnvSchema declaration found`);
  return keys;
}

/** `NAME=value` lines of .env.example (comments and blank lines skipped), as the dotenv format reads them. */
function envExample(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync('.env.example', 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(trimmed);
    if (!match) throw new Error(`.env.example: unreadable line ${JSON.stringify(line)}`);
    if (entries.has(match[1]!)) throw new Error(`.env.example: ${match[1]} appears twice`);
    entries.set(match[1]!, match[2]!);
  }
  return entries;
}

describe('.env.example', () => {
  const schema = envSchemaKeys();
  const example = envExample();

  it('lists every variable the environment schema reads, and nothing it does not', () => {
    expect(schema.length).toBeGreaterThan(10);
    expect(schema.filter((k) => !example.has(k))).toEqual([]);
    expect([...example.keys()].filter((k) => !schema.includes(k))).toEqual([]);
  });

  it('ships no secret: tokens, keys, secrets and the SMTP URL are blank', () => {
    const secretLike = [...example.keys()].filter((k) => /(TOKEN|SECRET|API_KEY|SMTP_URL)$/.test(k));
    expect(secretLike.length).toBeGreaterThan(5);
    expect(secretLike.filter((k) => example.get(k) !== '')).toEqual([]);
  });
});
