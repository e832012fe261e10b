import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mention, safeMrkdwn, truncate } from '../../blocks/escape.ts';

describe('escapeMrkdwn', () => {
  it('neutralises mentions, broadcasts and forged links', () => {
    expect(escapeMrkdwn('<!channel> <!here> <@U123> <https://evil|click> A&B')).toBe('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil|click&gt; A&amp;B');
  });

  it('never leaves a raw < or > and never a bare & for any input', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const out = escapeMrkdwn(s);
      expect(out).not.toMatch(/[<>]/);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }));
  });
});

describe('safeMrkdwn / truncate', () => {
  it('bounds length and never cuts an entity in half', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 2, max: 300 }), (s, max) => {
      const out = safeMrkdwn(s, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/&[a-z]{0,3}…$/);
    }));
    expect(truncate('&&&&&&', 7)).toBe('&&&&&&');
    expect(safeMrkdwn('&&&&', 7)).toBe('&amp;…');
  });

  it('mentions only well-formed user ids', () => {
    expect(mention('U0APPROVE1')).toBe('<@U0APPROVE1>');
    expect(mention('<!channel>')).toBe('&lt;!channel&gt;');
  });
});
