import type { Action, RuleHit } from '../../core/decision.ts';
import type { Policy } from '../schema.ts';
import type { AutoAction } from './aliases.ts';

/** The actions a final action would normally take, before the policy's constraints. */
export function planActions(action: AutoAction, policy: Policy): Action[] {
  if (action === 'auto_reject_spam') return ['reject_lead'];
  const route: Action[] = ['crm_upsert_contact', 'crm_add_note', 'crm_create_task', 'slack_post_lead', 'assign_owner'];
  return policy.email.ack_enabled ? [...route, 'send_ack_email'] : route;
}

export interface Constrained {
  actions: Action[];
  held: Action[];
  hits: RuleHit[];
}

/**
 * The last word, applied to every decision whatever produced it. Forbidden or unlisted actions are
 * dropped outright (even an approver cannot run them); approval-listed ones wait for a human unless
 * one already approved; the per-run cap holds the overflow; the kill switch holds everything.
 */
export function applyConstraints(
  planned: readonly Action[],
  opts: { policy: Policy; execute: boolean; approved: boolean; killSwitch: boolean },
): Constrained {
  const c = opts.policy.constraints;
  const hits: RuleHit[] = [];
  const actions: Action[] = [];
  const held: Action[] = [];
  for (const a of planned) {
    if (c.forbidden_actions.includes(a)) hits.push({ rule: 'action_forbidden', reason: `${a} is forbidden by the policy` });
    else if (!c.allowed_actions.includes(a)) hits.push({ rule: 'action_not_allowed', reason: `${a} is not in allowed_actions` });
    else if (!opts.execute) held.push(a);
    else if (!opts.approved && c.require_approval.includes(a)) {
      hits.push({ rule: 'approval_required', reason: `${a} requires approval` });
      held.push(a);
    } else actions.push(a);
  }
  if (actions.length > c.max_actions_per_run) {
    const over = actions.splice(c.max_actions_per_run);
    hits.push({ rule: 'max_actions_cap', reason: `at most ${c.max_actions_per_run} action(s) per run: held ${over.join(', ')}` });
    held.unshift(...over);
  }
  if (opts.killSwitch) {
    hits.push({ rule: 'kill_switch', reason: 'the kill switch is on: every action is held' });
    return { actions: [], held: [...actions, ...held], hits };
  }
  return { actions, held, hits };
}
