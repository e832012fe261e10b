import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load.ts';

const example = readFileSync('data/policy.json', 'utf8');

/** The one line an operator sees when the edited example policy is refused. */
function refusal(edit: (text: string) => string): string {
  const text = edit(example);
  expect(text).not.toBe(example); // the edit must have applied
  try {
    parsePolicy(text, 'policy.json');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the policy was accepted');
}

describe('routing policy: one clear line for each mistake', () => {
  it('accepts the example, durations and the older minute fields alike', () => {
    const { policy } = parsePolicy(example);
    expect(policy.sla).toEqual({ first_touch_minutes: 15, review_minutes: 30 });
    expect(policy.rate_limits.per_ip).toEqual({ max: 5, window_minutes: 60 });
    expect(policy.routing.queues.sales.sla?.map((s) => s.after)).toEqual(['10m', '30m', '60m']);
    const older = parsePolicy(example.replace('"sla": { "first_touch": "15m", "review": "30m" }', '"sla": { "first_touch_minutes": 20, "review_minutes": 45 }'));
    expect(older.policy.sla).toEqual({ first_touch_minutes: 20, review_minutes: 45 });
  });

  it('names an unknown person in a pool, and a pool without members', () => {
    expect(refusal((t) => t.replace('{ "user": "U0SALES002" }', '{ "user": "U0NOBODY01" }'))).toBe('policy.json: pools.ae.members.1.user: U0NOBODY01 is not in people');
    expect(refusal((t) => t.replace('"members": [ { "user": "U0SALES001" } ]', '"members": []'))).toBe('policy.json: pools.dach.members: a pool needs at least one member');
  });

  it('names a bad time zone and a bad hours expression', () => {
    expect(refusal((t) => t.replace('"Europe/Berlin"', '"Mars/Olympus"'))).toBe('policy.json: people.U0SALES001.timezone: an IANA time zone like "Europe/Berlin"');
    expect(refusal((t) => t.replace('"hours": "Mon-Fri 09:00-17:30"', '"hours": "Mon-Fri 9-17"'))).toMatch(/^policy\.json: people\.U0SALES001\.hours: "Mon-Fri 9-17": expected a day range and HH:MM-HH:MM times/);
  });

  it('names a ladder out of order, a bad duration, and a reassign without a pool', () => {
    expect(refusal((t) => t.replace('{ "after": "30m", "do": "reassign" }', '{ "after": "5m", "do": "reassign" }'))).toBe('policy.json: routing.queues.sales.sla.1.after: ladder steps must come in increasing time');
    expect(refusal((t) => t.replace('{ "after": "10m", "do": "remind" }', '{ "after": "ten minutes", "do": "remind" }'))).toBe('policy.json: routing.queues.sales.sla.0.after: a duration like "30s", "15m", "2h" or "1d"');
    expect(refusal((t) => t.replace('"founder": { "channel": "C0FOUNDER1", "owners": ["U0FOUNDER1"] }', '"founder": { "channel": "C0FOUNDER1", "sla": [ { "after": "1h", "do": "reassign" } ] }')))
      .toBe('policy.json: routing.queues.founder.sla.0.do: reassign needs the queue to have a pool');
  });

  it('names a rule or queue pointing at an unknown queue or pool, and a fallback loop', () => {
    expect(refusal((t) => t.replace('"queue": "sales", "pool": "dach"', '"queue": "marketing", "pool": "dach"'))).toMatch(/^policy\.json: routing\.rules\.0\.queue: /);
    expect(refusal((t) => t.replace('"queue": "sales", "pool": "dach"', '"queue": "sales", "pool": "emea"'))).toBe('policy.json: routing.rules.0.pool: unknown pool "emea"');
    expect(refusal((t) => t.replace('"pool": "ae", "clock"', '"pool": "apac", "clock"'))).toBe('policy.json: routing.queues.sales.pool: unknown pool "apac"');
    expect(refusal((t) => t.replace('"manager": "U0APPROVE1", "fallback": "queue"', '"manager": "U0APPROVE1", "fallback": "dach"'))).toBe('policy.json: pools.ae.fallback: the fallback chain comes back to this pool: end it with "queue"');
  });
});
