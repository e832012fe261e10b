import { stemmer } from '@orama/stemmers/english';
import { foldForMatching } from '../../core/text.ts';

const WORD = /[\p{L}\p{N}]+/gu;
/** Stems shorter than this match exactly: "job" must not fire on "jobs to be done", nor "hire" on "hired". */
const MIN_STEM = 5;

interface Token { word: string; stem: string }

function tokens(text: string): Token[] {
  return (text.toLowerCase().match(WORD) ?? []).map((word) => ({ word, stem: stemmer(word) }));
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
  const folded = foldForMatching(text);
  const hay = tokens(folded);
  return phrases.filter((phrase) => {
    const needle = phrase.trim();
    if (!needle) return false;
    if (UNSPACED.test(needle)) return folded.includes(needle);
    const words = tokens(needle);
    if (words.length === 0) return false;
    for (let i = 0; i + words.length <= hay.length; i++) {
      if (words.every((w, j) => sameWord(w, hay[i + j]!))) return true;
    }
    return false;
  });
}
