import { z } from 'zod';

/**
 * The one place action ids, button values and modal private_metadata are built and parsed.
 * Handlers receive a discriminated union, never a string to slice.
 */
export const ACTION_IDS = {
  approve: 'review_approve',
  reject: 'review_reject',
  edit: 'review_edit',
  claim: 'lead_claim',
  reassign: 'lead_reassign',
  accept: 'lead_accept',
  apply_refresh: 'refresh_apply',
} as const;
export type ActionKind = keyof typeof ACTION_IDS;

export const CALLBACK_IDS = { reject: 'review_reject_modal', edit: 'review_edit_modal', reassign: 'lead_reassign_modal', erase: 'erase_confirm_modal' } as const;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export type CardAction =
  | { kind: 'approve' | 'reject' | 'edit'; decisionId: string }
  | { kind: 'claim' | 'reassign' | 'accept'; leadId: string }
  | { kind: 'apply_refresh'; refreshId: string };

const BY_ACTION_ID = new Map<string, ActionKind>(Object.entries(ACTION_IDS).map(([k, v]) => [v, k as ActionKind]));

export function actionValue(action: CardAction): string {
  if ('refreshId' in action) return action.refreshId;
  return 'decisionId' in action ? action.decisionId : action.leadId;
}

/** Parses a clicked button back into what it means; null for anything we did not build. */
export function decodeAction(actionId: string, value: string | undefined): CardAction | null {
  const kind = BY_ACTION_ID.get(actionId);
  const target = id.safeParse(value);
  if (!kind || !target.success) return null;
  if (kind === 'claim' || kind === 'reassign' || kind === 'accept') return { kind, leadId: target.data };
  if (kind === 'apply_refresh') return { kind, refreshId: target.data };
  return { kind, decisionId: target.data };
}

const channelId = z.string().regex(/^[CGD][A-Z0-9]+$/).nullable();

const ModalMetaSchema = z.object({
  /** The decision under review (reject/edit) or the lead (reassign). */
  target: id,
  /** Where the card was clicked, so refusals and "already handled" can be sent there. */
  channel: channelId,
});
export type ModalMeta = z.infer<typeof ModalMetaSchema>;

/** The erase modal's: what the approver typed (an address or a lead id), looked up again on submit. */
const EraseMetaSchema = z.object({ target: z.string().min(3).max(320), channel: channelId });
export type EraseMeta = z.infer<typeof EraseMetaSchema>;

export function encodeModalMeta(meta: ModalMeta | EraseMeta): string {
  return JSON.stringify(meta);
}

/** A modal's private_metadata read back (it round-trips through Slack: parse, don't trust); null when it is not ours. */
function decodeWith<T>(schema: z.ZodType<T>, text: string | undefined): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const decodeModalMeta = (text: string | undefined): ModalMeta | null => decodeWith(ModalMetaSchema, text);
export const decodeEraseMeta = (text: string | undefined): EraseMeta | null => decodeWith(EraseMetaSchema, text);

/** Block and action ids of the edit/reject/reassign modal inputs. */
export const INPUTS = {
  reason: { block: 'reason', action: 'reason_input' },
  intent: { block: 'intent', action: 'intent_select' },
  route: { block: 'route', action: 'route_select' },
  owner: { block: 'owner', action: 'owner_select' },
  priority: { block: 'priority', action: 'priority_select' },
  assignee: { block: 'assignee', action: 'assignee_select' },
} as const;
