import { COMPANY_WORDS, FOR_WORDS, HEADCOUNT, LEADS_OR_HIRES, TEAM_WORDS, WE_ARE } from './lexicon.ts';

/**
 * A company's size as its person states it in the message: "we're a 40-person startup", "company of 2,000
 * employees", "200 employees", "we have 350 staff", "somos una fintech con 70 empleados". Never a team's: "12-person
 * ops team", "team of 4 people", "our data team (6 people)", "I manage 30 analysts" are not the company's headcount.
 * Company facts from enrichment come first (signals.ts); this is only read when they have no headcount.
 */

const NUMBER = '(\\d{1,3}(?:[,.]\\d{3})+|\\d+)(k)?';
const alt = (words: readonly string[]): string => words.join('|');
/** A count and the word that says what it counts: a compound ("40-person"), employees or people. */
const COUNT = new RegExp(
  `(?<![\\p{L}\\p{N}])(?<!\\d[.,])${NUMBER}\\s*(\\+\\s*)?(?:(?:\\s*-\\s*|\\s)(?<compound>${alt(HEADCOUNT.compound)})|\\s*(?<hyphen>-\\s*)?(?<employees>${alt(HEADCOUNT.employees)})|\\s*(?<hyphenp>-\\s*)?(?<people>${alt(HEADCOUNT.people)}))(?![\\p{L}\\p{N}])`,
  'giu',
);
const UNSPACED = new RegExp(HEADCOUNT.unspaced, 'u');

const APPROX = "(?:about|around|approx\\.?|approximately|roughly|nearly|almost|over|some|under|circa|ca\\.?|just|only|environ|près de|plus de|unos|unas|cerca de|más de|mais de|etwa|rund|ungefähr|knapp|über|ongeveer|bijna|quasi|oltre|~|±)";
const ARTICLE = '(?:a|an|une?|uma?|una|ein|eine|een|en|et)';
/** "we're (a|about) N …" just before the count. */
const WE_ARE_BEFORE = new RegExp(`(?:^|[^\\p{L}])(?:${alt(WE_ARE)})\\s+(?:${ARTICLE}\\s+)?(?:${APPROX}\\s*)*[(,:\\s]*$`, 'iu');
/** Words skipped when looking for what stands next to the count: approximations, articles, linking words. */
const FILLER = new Set([
  'about', 'around', 'approx', 'approximately', 'roughly', 'nearly', 'almost', 'over', 'some', 'under', 'circa', 'ca', 'just', 'only', 'environ', 'près', 'plus',
  'unos', 'unas', 'cerca', 'más', 'mais', 'etwa', 'rund', 'ungefähr', 'knapp', 'über', 'ongeveer', 'bijna', 'quasi', 'oltre',
  'a', 'an', 'the', 'our', 'my', 'its', 'their', 'of', 'with', 'has', 'have', 'had', 'is', 'are', 'was', 'and', 'now', 'currently', 'today',
  'de', 'du', 'des', 'di', 'del', 'da', 'do', 'von', 'van', 'com', 'con', 'mit', 'met', 'med', 'avec', 'och', 'og', 'en', 'et', 'e', 'y', 'und',
  'une', 'un', 'una', 'uma', 'um', 'ein', 'eine', 'einem', 'einer', 'een', 'notre', 'nuestra', 'nuestro', 'nossa', 'nosso', 'la', 'le', 'il', 'el', 'o',
]);
/** What a count is "of" when a preposition follows it: "12 people on the data team", "5 personnes dans notre équipe". */
const PREPOSITIONS = new Set(['on', 'in', 'at', 'within', 'across', 'inside', 'dans', 'en', 'im', 'nel', 'nella', 'no', 'na', 'op', 'i', 'bei', 'auf']);
/** Where a compound's noun phrase ends without naming a company or a team. */
const PHRASE_END = new Set(['and', 'but', 'that', 'which', 'who', 'with', 'we', 'i', 'our', 'looking', 'et', 'y', 'und', 'e', 'en']);

const WORDS = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const words = (text: string): string[] => (text.toLowerCase().replace(/’/g, "'").match(WORDS) ?? []);

/** The clause a count stands in: sentence ends (not thousands separators) and semicolons bound it. */
function clauseAround(text: string, start: number, end: number): { before: string; after: string } {
  const boundary = /[.!?;](?=\s|$)|[\n。！？；]/g;
  let from = 0;
  let to = text.length;
  for (const m of text.matchAll(boundary)) {
    if (m.index < start) from = m.index + 1;
    else if (m.index >= end) {
      to = m.index;
      break;
    }
  }
  return { before: text.slice(from, start), after: text.slice(end, to) };
}

function toNumber(digits: string, k: string | undefined): number | null {
  const n = Number(digits.replace(/[,.](?=\d{3}(?!\d))/g, '')) * (k ? 1000 : 1);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Scans outwards from the count: the first company or team word within `limit` words, skipping filler, decides. */
function nearest(tokens: readonly string[], limit: number, stopAt?: ReadonlySet<string>): 'company' | 'team' | null {
  let seen = 0;
  for (const t of tokens) {
    if (TEAM_WORDS.has(t)) return 'team';
    if (COMPANY_WORDS.has(t)) return 'company';
    if (stopAt?.has(t)) return null;
    if (FILLER.has(t)) continue;
    if (++seen >= limit) return null;
  }
  return null;
}

function readCount(text: string, m: RegExpExecArray): number | null {
  const groups = m.groups ?? {};
  const { before, after } = clauseAround(text, m.index, m.index + m[0].length);
  const back = words(before).reverse();
  const ahead = words(after);
  const beside = back.filter((w) => !FILLER.has(w)).slice(0, 3);
  // People they lead, hire or buy for: "I manage 30 staff", "hiring 20 people", "licences for our 200 employees".
  if (beside.slice(0, 2).some((w) => LEADS_OR_HIRES.has(w)) || FOR_WORDS.has(beside[0] ?? '')) return null;
  // A team's count: "team of 4 people", "our data team (6 people)", "équipe de 5 personnes".
  if (beside.some((w) => TEAM_WORDS.has(w))) return null;
  // "12 people on the data team", "5 personnes dans notre équipe".
  if (PREPOSITIONS.has(ahead[0] ?? '') && ahead.slice(1, 5).some((w) => TEAM_WORDS.has(w))) return null;
  const weAre = WE_ARE_BEFORE.test(before.replace(/’/g, "'"));
  const n = toNumber(m[1]!, m[2]);
  if (n === null) return null;
  if (groups['compound'] !== undefined || groups['hyphen'] !== undefined || groups['hyphenp'] !== undefined) {
    // "N-person …" describes the noun after it: a startup is the company, an ops team is not.
    const noun = nearest(ahead, 4, PHRASE_END);
    if (noun === 'team') return null;
    return noun === 'company' || weAre ? n : null;
  }
  if (groups['employees'] !== undefined) return n;
  // People are the company's when the sender says "we are N people" or a company word stands beside the count.
  if (weAre) return n;
  const company = nearest(back, 8) === 'company' || nearest(ahead, 3) === 'company';
  return company ? n : null;
}

/** The first headcount in the message that describes the whole company, or null. */
export function statedCompanySize(message: string): number | null {
  for (const m of message.matchAll(COUNT)) {
    const n = readCount(message, m);
    if (n !== null) return n;
  }
  const cjk = UNSPACED.exec(message);
  return cjk?.[1] ? toNumber(cjk[1], undefined) : null;
}
