import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeError } from '../../src/core/errors.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { differingRules, loadShadow, sameOutcome, shadowSource } from '../../src/policy/shadow.ts';
import type { Decision } from '../../src/core/decision.ts';

const EXAMPLE = readFileSync('data/policy.json', 'utf8').replace('"$schema": "./policy.schema.json",', '');
const naming = (shadow: string) => EXAMPLE.replace('"kill_switch": false', `"kill_switch": false, "shadow": ${JSON.stringify(shadow)}`);
const withFloor = (floor: number) => EXAMPLE.replace(/"confidence_floor": 0\.75/, `"confidence_floor": ${floor}`);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lt-shadow-'));
  mkdirSync(join(dir, 'candidates'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadShadow', () => {
  it('is null when the policy names no shadow', () => {
    expect(loadShadow(loadPolicy(write('policy.json', EXAMPLE)))).toBeNull();
  });

  it('loads the candidate relative to the policy file\'s folder, with its own hash', () => {
    write('candidates/strict.json', withFloor(0.9));
    const main = loadPolicy(write('policy.json', naming('candidates/strict.json')));
    const shadow = loadShadow(main)!;
    expect(shadow.path).toBe(join(dir, 'candidates/strict.json'));
    expect(shadow.policy.thresholds.confidence_floor).toBe(0.9);
    expect(shadow.hash).not.toBe(main.hash);
  });

  it('a missing or invalid candidate is a policy error naming the policy\'s shadow field and the candidate\'s bad field', () => {
    const missing = loadPolicy(write('policy.json', naming('nope.json')));
    const e1 = describeError(catching(() => loadShadow(missing)));
    expect(e1).toMatchObject({ code: 'policy_invalid', field: 'shadow' });
    expect(e1.message).toBe(`${join(dir, 'policy.json')}: shadow: no such candidate policy file ${join(dir, 'nope.json')}`);

    write('bad.json', withFloor(1.5));
    const bad = loadPolicy(write('policy.json', naming('bad.json')));
    const e2 = describeError(catching(() => loadShadow(bad)));
    expect(e2).toMatchObject({ code: 'policy_invalid', field: 'shadow' });
    expect(e2.message).toMatch(new RegExp(`^${escape(join(dir, 'policy.json'))}: shadow: candidate policy is invalid: ${escape(join(dir, 'bad.json'))}: thresholds\\.confidence_floor: `));

    write('broken.json', '{ "version": ');
    const broken = loadPolicy(write('policy.json', naming('broken.json')));
    expect(describeError(catching(() => loadShadow(broken))).message).toMatch(/shadow: candidate policy is invalid: .*broken\.json: line 1/);
  });

  it('shadowSource throws at construction on a bad candidate, as start-up must', () => {
    write('bad.json', withFloor(-1));
    expect(() => shadowSource(loadPolicy(write('policy.json', naming('bad.json'))))).toThrow(/shadow: candidate policy is invalid/);
  });

  it('shadowSource follows edits of the candidate (keeping the last good one) and a reload that names another or none', () => {
    const path = write('a.json', withFloor(0.9));
    const main = loadPolicy(write('policy.json', naming('a.json')));
    const loadedHashes: string[] = [];
    const source = shadowSource(main, undefined, (s) => loadedHashes.push(s.hash));
    const first = source()!;
    expect(first.policy.thresholds.confidence_floor).toBe(0.9);
    expect(source()).toBe(first);

    writeFileSync(path, withFloor(0.95));
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect(source()!.policy.thresholds.confidence_floor).toBe(0.95);

    writeFileSync(path, withFloor(7));
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    expect(source()!.policy.thresholds.confidence_floor).toBe(0.95);

    // The policy holder is replaced in place on reload (policy/reload.ts): another candidate, then none.
    write('b.json', withFloor(0.8));
    Object.assign(main, loadPolicy(write('policy.json', naming('b.json'))));
    expect(source()!.policy.thresholds.confidence_floor).toBe(0.8);
    Object.assign(main, loadPolicy(write('policy.json', naming('missing.json'))));
    expect(source()).toBeNull();
    Object.assign(main, loadPolicy(write('policy.json', EXAMPLE)));
    expect(source()).toBeNull();
    // Each good candidate once, as it was loaded: 0.9, 0.95, then b.json.
    expect(loadedHashes).toHaveLength(3);
    expect(new Set(loadedHashes).size).toBe(3);
  });
});

describe('comparing decisions', () => {
  const d = (over: Partial<Decision>): Decision => ({
    final_action: 'auto_route_sales', route: 'sales', priority: 'high', actions: [], held_actions: [], rules: [], needs_review: false, policy_hash: 'p', ...over,
  });

  it('agrees on the same final action, route and need for review, whatever the rules say', () => {
    expect(sameOutcome(d({}), d({ rules: [{ rule: 'x', reason: 'y' }], policy_hash: 'q', priority: 'low' }))).toBe(true);
    expect(sameOutcome(d({}), d({ final_action: 'human_review', needs_review: true }))).toBe(false);
    expect(sameOutcome(d({}), d({ route: 'founder' }))).toBe(false);
    expect(sameOutcome(d({}), d({ needs_review: true, held_actions: ['send_ack_email'] }))).toBe(false);
  });

  it('differing rules are the names in one decision and not the other, once each', () => {
    const a = [{ rule: 'two_keys', reason: '' }, { rule: 'routing_rule', reason: '' }, { rule: 'routing_rule', reason: 'again' }];
    const b = [{ rule: 'two_keys', reason: 'other words' }, { rule: 'below_confidence_floor', reason: '' }];
    expect(differingRules(a, b)).toEqual(['below_confidence_floor', 'routing_rule']);
    expect(differingRules(a, a)).toEqual([]);
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
