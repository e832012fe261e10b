import { foldForMatching } from '../../core/text.ts';

const words = new Intl.Segmenter('und', { granularity: 'word' });

// A link's or an address's host names the sender, not what they want; held-out sets use `.example` hosts a model must not learn.
const LINK = /\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+/gi;

/**
 * What the learned reader sees of a message: its words (ICU's word breaks, so Japanese and Chinese split too) in the
 * form every matcher reads, lower-cased, digits as 0 ("INV-2026-0412" and "INV-2025-1187" are one word), each word
 * and each pair of neighbours. A link or an address is one token.
 */
export function learnedTokens(message: string): string[] {
  const text = foldForMatching(message).toLowerCase().replace(LINK, ' zlinkz ');
  const ws: string[] = [];
  for (const s of words.segment(text)) if (s.isWordLike) ws.push(s.segment.replace(/\d+/g, '0'));
  const pairs = ws.slice(1).map((w, i) => `${ws[i]}_${w}`);
  return [...ws, ...pairs];
}
