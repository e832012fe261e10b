import type { Provider } from '../../core/lead.ts';
import type { NormalizeResult } from './build.ts';
import { normalizeFormspree } from './formspree.ts';
import { normalizeGeneric } from './generic.ts';
import { normalizeHubspot } from './hubspot.ts';
import { normalizeTally } from './tally.ts';
import { normalizeTypeform } from './typeform.ts';
import { normalizeWebflow } from './webflow.ts';

export type { NormalizeResult } from './build.ts';
export type Normalizer = (body: unknown, nowMs: number) => NormalizeResult;

export const NORMALIZERS: Record<Provider, Normalizer> = {
  typeform: normalizeTypeform,
  tally: normalizeTally,
  webflow: normalizeWebflow,
  formspree: normalizeFormspree,
  hubspot: normalizeHubspot,
  generic: normalizeGeneric,
};
