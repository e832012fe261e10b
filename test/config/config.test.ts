import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/env.ts';
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

describe('configuration', () => {
  it('runs on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/lead-triage.sqlite');
    expect(config.anthropic.model).toMatch(/haiku/);
    expect(config.webhookSecrets.typeform).toBeUndefined();
  });

  it('names the bad variable in one line', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^environment: PORT: /);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/SLACK_BOT_TOKEN: must start with xoxb-/);
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

  it('reports a syntax error with its line', () => {
    expect(policyError('{\n  "version": "x",\n  oops\n}').message).toMatch(/^p\.json: line 3: /);
  });

  it('refuses unknown top-level keys and a policy without approvers', () => {
    expect(policyError(examplePolicy.replace('"kill_switch": false', '"kill_switch": false, "kil_switch": true')).message).toMatch(/kil_switch/);
    expect(policyError(examplePolicy.replace('"users": ["U0APPROVE1", "U0APPROVE2"]', '"users": []')).field).toBe('approvers');
  });

  it('publishes a JSON Schema that matches the zod schema', () => {
    const published = JSON.parse(readFileSync('data/policy.schema.json', 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }))));
  });
});
