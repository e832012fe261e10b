import type { Rule } from './types.ts';
import { competitorOrBlocked, disposableEmail, disqualifier, freeMailCap, injectionAttempt, lookalikeDomain, precheckHold, shortMessage } from './evidence.ts';
import { assigneeAction, intentAction, spamWithFit } from './consistency.ts';
import { confidenceFloor, modelAskedForReview, priorityAndValue } from './confidence.ts';

/**
 * Order matters: evidence rules correct the proposal (cap confidence, force `unclear`) before the
 * consistency and confidence rules judge it; priority is settled before the injection rule lowers it.
 */
export const PROPOSAL_RULES: readonly Rule[] = [
  precheckHold,
  freeMailCap,
  shortMessage,
  disposableEmail,
  disqualifier,
  competitorOrBlocked,
  lookalikeDomain,
  spamWithFit,
  intentAction,
  assigneeAction,
  confidenceFloor,
  priorityAndValue,
  injectionAttempt,
  modelAskedForReview,
];
