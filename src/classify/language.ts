import { eld } from 'eld/extrasmall';

const detector = eld.newInstance();
// Links and addresses name hosts, not the language the person wrote in.
detector.enableTextCleanup(true);

/** Under this many characters ("hi", "Preis?") a guess at the language is noise. */
const MIN_LENGTH = 20;

/** The message's language as an ISO 639-1 code ('en', 'de', 'ja'), or 'und' when it cannot be told. */
export function messageLanguage(message: string): string {
  if (message.trim().length < MIN_LENGTH) return 'und';
  return detector.detect(message).language || 'und';
}
