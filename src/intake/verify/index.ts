import type { Provider } from '../../core/lead.ts';
import type { Verifier } from './hmac.ts';
import { verifyFormspree } from './formspree.ts';
import { verifyGeneric } from './generic.ts';
import { verifyHubspot } from './hubspot.ts';
import { verifyTally } from './tally.ts';
import { verifyTypeform } from './typeform.ts';
import { verifyWebflow } from './webflow.ts';

export type { Verifier, VerifyInput, VerifyResult } from './hmac.ts';

export const VERIFIERS: Record<Provider, Verifier> = {
  typeform: verifyTypeform,
  tally: verifyTally,
  webflow: verifyWebflow,
  formspree: verifyFormspree,
  hubspot: verifyHubspot,
  generic: verifyGeneric,
};
