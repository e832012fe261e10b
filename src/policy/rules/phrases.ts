import { stemmer } from '@orama/stemmers/english';
import { foldForMatching } from '../../core/text.ts';

const WORD = /[\p{L}\p{N}]+/gu;
/** Stems shorter than this match exactly: "job" must not fire on "jobs to be done", nor "hire" on "hired". */
const MIN_STEM = 5;

interface Token { word: string; stem: string; at: number }

// One lead's text is matched against several phrase lists (disqualifiers, fit, high value, products) by both
// keys: tokenize and stem it once. Bounded, so a flood of distinct texts cannot grow it.
const recent = new Map<string, Token[]>();
const phraseTokens = new Map<string, Token[]>();
const stems = new Map<string, string>();

function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= 20_000) stems.clear();
    stem = stemmer(word);
    stems.set(word, stem);
  }
  return stem;
}

function tokenize(text: string): Token[] {
  return [...text.toLowerCase().matchAll(WORD)].map((m) => ({ word: m[0], stem: stemOf(m[0]), at: m.index }));
}

function cached(cache: Map<string, Token[]>, max: number, text: string): Token[] {
  let out = cache.get(text);
  if (!out) {
    if (cache.size >= max) cache.clear();
    out = tokenize(text);
    cache.set(text, out);
  }
  return out;
}

function sameWord(needle: Token, hay: Token): boolean {
  return needle.word === hay.word || (needle.stem.length >= MIN_STEM && needle.stem === hay.stem);
}

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The policy's phrases (disqualifiers, fit and high-value indicators, products) found in `text`, whole words
 * only, with English stemming so "outsourcing" also finds "outsourced" and "students" finds "student". Text is
 * folded first (NFKC, invisible characters removed). Unspaced scripts are matched as substrings.
 */
export function matchPhrases(text: string, phrases: readonly string[]): string[] {
  return findPhrases(text, phrases).map((f) => f.phrase);
}

/** As `matchPhrases`, with the words of `text` (lower-cased, first occurrence) that each phrase matched: "outsourced" for "outsourcing". */
export function findPhrases(text: string, phrases: readonly string[]): { phrase: string; said: string }[] {
  const folded = foldForMatching(text);
  const hay = cached(recent, 64, folded);
  const lower = folded.toLowerCase();
  const found: { phrase: string; said: string }[] = [];
  for (const phrase of phrases) {
    const needle = phrase.trim();
    if (!needle) continue;
    if (UNSPACED.test(needle)) {
      if (folded.includes(needle)) found.push({ phrase, said: needle });
      continue;
    }
    const words = cached(phraseTokens, 5_000, needle);
    for (let i = 0; words.length > 0 && i + words.length <= hay.length; i++) {
      if (words.every((w, j) => sameWord(w, hay[i + j]!))) {
        const last = hay[i + words.length - 1]!;
        found.push({ phrase, said: lower.slice(hay[i]!.at, last.at + last.word.length) });
        break;
      }
    }
  }
  return found;
}
