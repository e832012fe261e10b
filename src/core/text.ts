/**
 * Our length limits (Slack block fields, HubSpot property values, the schema maxima) are applied in UTF-16 code
 * units — the strictest count (the installed zod 4 `.max` counts code points, which a unit-bounded string always
 * satisfies) — but never through the middle of a character: `.slice(0, n)` can split a surrogate pair (an emoji)
 * and leave a lone surrogate, which HubSpot and Slack garble into U+FFFD or reject.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `text` made of whole grapheme clusters (emoji ZWJ sequences, flags, skin tones,
 * combining accents stay intact) whose UTF-16 length is at most `max`; `text` itself when it already fits.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const limit = Math.floor(max);
  if (!(limit > 0)) return '';
  // `containing` asks ICU for the cluster around the cut only (no walk over the whole text): the cluster that
  // holds code unit `limit` starts at the last grapheme boundary at or before it.
  const start = graphemes.segment(text).containing(limit)?.index ?? limit;
  return text.slice(0, start);
}

/** True when `text` has no lone (unpaired) surrogate. */
export function isWellFormedText(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Invisible format characters (zero-width space/joiners, word joiner, BOM, soft hyphen) that split words without showing. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/**
 * The form every matcher reads: NFKC (fullwidth "ｐｒｉｃｉｎｇ" and ligatures become plain letters) with invisible
 * characters removed, so "pri\u200bcing" is "pricing". Never shown to anyone; only matched against.
 */
export function foldForMatching(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '');
}
