import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { parsePolicy } from '../../src/policy/load.ts';

const example = readFileSync('data/policy.json', 'utf8');
const withDigest = (digest: string) => example.replace('"digest": { "enabled": true, "cron": "0 9 * * 1-5" },', digest);

describe('policy digest field', () => {
  it('is optional: a policy without it posts weekday mornings to the review channel', () => {
    const text = withDigest('');
    expect(text).not.toContain('"digest"');
    expect(parsePolicy(text).policy.digest).toEqual({ enabled: true, cron: '0 9 * * 1-5' });
  });

  it('takes a channel and any cron expression node-cron accepts', () => {
    const { digest } = parsePolicy(withDigest('"digest": { "enabled": false, "cron": "30 17 * * *", "channel": "C0DIGEST01" },')).policy;
    expect(digest).toEqual({ enabled: false, cron: '30 17 * * *', channel: 'C0DIGEST01' });
  });

  it.each(['every morning', '61 9 * * *', '0 9 * * 1-5 extra fields here'])('refuses the cron expression %j, naming the field', (cron) => {
    let error: unknown;
    try {
      parsePolicy(withDigest(`"digest": { "cron": ${JSON.stringify(cron)} },`), 'p.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('digest.cron');
  });
});
