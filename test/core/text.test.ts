import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipText, isWellFormedText } from '../../src/core/text.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Reference: walk every grapheme from the start and keep those that end within `max`. */
function clipByFullWalk(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const s of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const e = s.index + s.segment.length;
    if (e > max) break;
    end = e;
  }
  return text.slice(0, end);
}

const FAMILY = '👨‍👩‍👧‍👦'; // 11 code units, three ZWJs
const FLAG = '🇫🇷'; // two regional indicators, 4 code units
const THUMB = '👍🏽'; // emoji + skin-tone modifier, 4 code units
const E_ACUTE = 'e\u0301'; // "e" + combining acute accent

describe('clipText', () => {
  it('a 300-unit clip through an emoji drops the whole emoji (no lone surrogate)', () => {
    const text = `${'a'.repeat(299)}😀 and more`;
    expect(text.slice(0, 300)).toMatch(LONE_SURROGATE); // what the old `.slice` did
    const out = clipText(text, 300);
    expect(out).toBe('a'.repeat(299));
    expect(out).not.toMatch(LONE_SURROGATE);
  });

  it('never splits a ZWJ family, a flag, a skin-tone modifier or a combining accent', () => {
    for (const cluster of [FAMILY, FLAG, THUMB, E_ACUTE]) {
      const text = `ab${cluster}cd`;
      for (let max = 2; max < 2 + cluster.length; max++) expect(clipText(text, max), `${cluster} @${max}`).toBe('ab');
      expect(clipText(text, 2 + cluster.length)).toBe(`ab${cluster}`);
    }
  });

  it('keeps flag pairs aligned inside a long run of regional indicators', () => {
    const text = FLAG.repeat(40);
    for (let max = 0; max < text.length; max++) expect(clipText(text, max)).toBe(FLAG.repeat(Math.floor(max / 4)));
  });

  it('returns the very same string when it already fits', () => {
    const text = `hi ${FAMILY}`;
    expect(clipText(text, text.length)).toBe(text);
    expect(clipText(text, 1000)).toBe(text);
    expect(clipText('', 0)).toBe('');
  });

  it('max 0 (or less) is the empty string', () => {
    expect(clipText('abc', 0)).toBe('');
    expect(clipText('😀', 1)).toBe('');
    expect(clipText('abc', -5)).toBe('');
  });

  it('a 20,000-unit message clips quickly', () => {
    const text = `${'m'.repeat(19_999)}😀${'x'.repeat(5_000)}`;
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) expect(clipText(text, 20_000)).toHaveLength(19_999);
    expect((performance.now() - t0) / 100).toBeLessThan(2);
  });

  const tricky = fc.constantFrom('a', 'é', E_ACUTE, '\u0301', '😀', FAMILY, FLAG, '🇫', THUMB, '🏽', '\u200d', '\r\n', '\n', '한', '\u1100\u1161\u11a8', 'क्ष');
  const texts = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: tricky, maxLength: 60 }),
  );

  it('property: a well-formed prefix of at most `max` units, cut at a grapheme boundary', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 0, max: 250 }), (text, max) => {
        const out = clipText(text, max);
        expect(text.startsWith(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(isWellFormedText(out)).toBe(true);
        expect(out).toBe(clipByFullWalk(text, max));
      }),
      { numRuns: 2000 },
    );
  });
});
