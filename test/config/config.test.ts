import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeBadVariable, loadConfig } from '../../src/config/env.ts';
import { loadPolicy, parsePolicy } from '../../src/policy/load.ts';
import { PolicySchema } from '../../src/policy/schema.ts';
import { AppError } from '../../src/core/errors.ts';

const examplePolicy = readFileSync('data/policy.json', 'utf8');

function policyError(text: string): AppError {
  try {
    parsePolicy(text, 'p.json');
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the policy to be refused');
}

function configError(env: Record<string, string>): { code: string; field: string | undefined; message: string } {
  try {
    loadConfig(env);
  } catch (err) {
    const e = err as AppError;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error('expected the environment to be refused');
}

describe('configuration', () => {
  it('runs on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/lead-triage.sqlite');
    expect(config.anthropic.model).toMatch(/haiku/);
    expect(config.webhookSecrets.typeform).toBeUndefined();
  });

  it('binds to loopback unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
  });

  it('names the bad variable and echoes its value, clipped', () => {
    expect(configError({ PORT: 'abc' })).toEqual({ code: 'config_invalid', field: 'PORT', message: 'environment: PORT: "abc" is not a port number (1–65535)' });
    expect(configError({ PORT: '70000' }).message).toBe('environment: PORT: "70000" is not a port number (1–65535)');
    expect(configError({ WORKER_CONCURRENCY: '0' }).message).toBe('environment: WORKER_CONCURRENCY: "0" is not a whole number from 1 to 256');
    expect(configError({ ENRICH_WEBSITE_FETCH: 'yes\n' }).message).toBe('environment: ENRICH_WEBSITE_FETCH: "yes\\n" is not true or false');
    expect(configError({ HUBSPOT_BASE_URL: 'api.hubapi.com' }).message).toBe('environment: HUBSPOT_BASE_URL: "api.hubapi.com" is not an http:// or https:// URL');
    expect(configError({ PORT: 'x'.repeat(200) }).message).toBe(`environment: PORT: "${'x'.repeat(59)}…" is not a port number (1–65535)`);
  });

  it('names every bad variable, one line each, the first as the field', () => {
    expect(configError({ LOG_LEVEL: 'loud', PORT: '-1' })).toEqual({
      code: 'config_invalid', field: 'PORT',
      message: 'environment: PORT: "-1" is not a port number (1–65535)\nenvironment: LOG_LEVEL: "loud" is not a log level (fatal, error, warn, info, debug, trace or silent)',
    });
  });

  it('never echoes a secret: tokens, and URLs that may carry a password', () => {
    const token = configError({ SLACK_BOT_TOKEN: 'xoxp-1111-2222-secret' });
    expect(token.message).toBe('environment: SLACK_BOT_TOKEN: the value set is not a Slack bot token (it starts with xoxb-); it is not shown because it is a secret');
    expect(configError({ SLACK_APP_TOKEN: 'xoxb-oops-wrong-kind' }).message).toBe('environment: SLACK_APP_TOKEN: the value set is not a Slack app-level token (it starts with xapp-); it is not shown because it is a secret');
    const smtp = configError({ SMTP_URL: 'https://mailer:hunter2@smtp.example.com' });
    expect(smtp.message).toBe('environment: SMTP_URL: the value set is not an smtp:// or smtps:// URL; it is not shown because it may hold credentials');
    expect(configError({ PUBLIC_BASE_URL: 'ftp://u:p@host.example' }).message).not.toContain('u:p');
    expect(describeBadVariable('PDL_API_KEY', 'k-123', 'too short')).toBe('PDL_API_KEY: the value set is invalid (too short); it is not shown because it is a secret');
  });

  it('accepts the shipped example policy and hashes its content', () => {
    const loaded = loadPolicy('data/policy.json');
    expect(loaded.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(parsePolicy(examplePolicy + '\n').hash).not.toBe(loaded.hash);
  });

  it('names the bad field of a bad policy', () => {
    const bad = examplePolicy.replace('"confidence_floor": 0.75', '"confidence_floor": 7.5');
    const err = policyError(bad);
    expect(err.code).toBe('policy_invalid');
    expect(err.field).toBe('thresholds.confidence_floor');
    expect(err.message).toMatch(/^p\.json: thresholds\.confidence_floor: /);
  });

  it('refuses a field_mapping key that is not a lead field, naming the nearest one', () => {
    const err = policyError(examplePolicy.replace('"first_name": "firstname"', '"frist_name": "firstname"'));
    expect(err.field).toBe('crm.field_mapping.frist_name');
    expect(err.message).toContain('"frist_name" is not a lead field (did you mean "first_name"?)');
    expect(() => parsePolicy(examplePolicy.replace('"first_name": "firstname"', '"utm.campaign": "utm_campaign", "raw_answers.Budget": "budget"'))).not.toThrow();
  });

  it('reports a syntax error with its line, column, what was expected in words and the text found', () => {
    const missingComma = [
      '// lead-triage policy',
      '{',
      '  "version": "2026-11-example",',
      '  "company": {',
      '    "name": "Acme Analytics",',
      '    "description": "B2B product analytics"',
      '  }',
      '  "kill_switch": false',
      '}',
    ].join('\n');
    expect(policyError(missingComma).message).toBe('p.json: line 8, column 3: expected a comma or closing brace (found "kill_switch")');
    expect(policyError('{\n  "version": "x",\n  oops\n}').message).toBe('p.json: line 3, column 3: expected a property name in double quotes (found "oops")');
    expect(policyError('{\n  "a": [1 2]\n}').message).toBe('p.json: line 2, column 11: expected a comma or closing bracket (found "2")');
    expect(policyError('{\n  "a": \n}').message).toBe('p.json: line 3, column 1: expected a value (found "}")');
    expect(policyError("{ 'a': 1 }").message).toBe('p.json: line 1, column 3: expected a property name in double quotes (found "\'a\'")');
    expect(policyError('{ "a" 1 }').message).toBe('p.json: line 1, column 7: expected a colon after the property name (found "1")');
    expect(policyError('{ "a": 1 ').message).toBe('p.json: line 1, column 10: expected a closing brace (found the end of the file)');
    expect(policyError('{ "a": "\\q" }').message).toBe('p.json: line 1, column 8: expected a valid escape in the string (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) (found "\\q")');
    expect(policyError(`{ "a": "${'y'.repeat(100)}\n}`).message).toBe(`p.json: line 1, column 8: expected a closing double quote on the same line (found "${'y'.repeat(38)}…)`);
  });

  it('names a policy file that does not exist', () => {
    expect(() => loadPolicy('/nonexistent/policy.json')).toThrow(/^\/nonexistent\/policy\.json: no such policy file \(set POLICY_PATH to the one to use\)$/);
  });

  it('refuses unknown top-level keys and a policy without approvers', () => {
    expect(policyError(examplePolicy.replace('"kill_switch": false', '"kill_switch": false, "kil_switch": true')).message).toMatch(/kil_switch/);
    expect(policyError(examplePolicy.replace('"users": ["U0APPROVE1", "U0APPROVE2", "U0OPERATOR"]', '"users": []')).field).toBe('approvers');
  });

  it('publishes a JSON Schema that matches the zod schema', () => {
    const published = JSON.parse(readFileSync('data/policy.schema.json', 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }))));
  });
});
