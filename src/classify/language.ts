import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { eld as Eld } from 'eld/extrasmall';

type Detector = ReturnType<typeof Eld.newInstance>;
let detector: Detector | null = null;

/**
 * The detector's n-gram tables take about 0.4 s and 29 MB to load, so only a process that reads a lead's language pays
 * for them, on first use: Node 20.19+ `require`s an ES module synchronously. The package exports its entry points to
 * `import` only, hence the resolved path.
 */
function loadDetector(): Detector {
  const entry = fileURLToPath(import.meta.resolve('eld/extrasmall'));
  const { eld } = createRequire(import.meta.url)(entry) as { eld: typeof Eld };
  const d = eld.newInstance();
  // Links and addresses name hosts, not the language the person wrote in.
  d.enableTextCleanup(true);
  return d;
}

/** Under this many characters ("hi", "Preis?") a guess at the language is noise. */
const MIN_LENGTH = 20;

/** The message's language as an ISO 639-1 code ('en', 'de', 'ja'), or 'und' when it cannot be told. */
export function messageLanguage(message: string): string {
  if (message.trim().length < MIN_LENGTH) return 'und';
  detector ??= loadDetector();
  return detector.detect(message).language || 'und';
}
