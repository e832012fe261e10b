import { z } from 'zod';
import type { EffectKind, OutboxEffect } from '../core/effects.ts';
import { PermanentError, TransientError } from '../core/upstream.ts';
import { clipText } from '../core/text.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../observability/logger.ts';
import { loadEffectContext, type EffectContext } from './effect-context.ts';
import type { EffectHandler } from './types.ts';
import { mapLeadProperties } from '../crm/properties.ts';
import { buildNoteBody } from '../crm/note-body.ts';
import type { Crm, OwnerClaim } from '../crm/types.ts';
import type { OwnerResolver } from '../crm/owner-resolver.ts';
import { currentAssignment } from '../routing/ledger.ts';
import { enqueueEffect } from './enqueue.ts';

/** Tells whoever made a claim something about it (Slack ephemeral); never throws. */
export type ClaimNotifier = (notice: { leadId: string; slackUserId: string; text: string }) => Promise<void>;

export interface CrmHandlerDeps {
  db: Db;
  crm: Crm;
  policy: LoadedPolicy;
  audit: AuditLog;
  logger: Logger;
  /** Slack user → CRM owner; without one a claim is a note only (the embedded CRM uses the Slack user itself). */
  owners?: OwnerResolver;
  tellClaimer?: ClaimNotifier;
  /** Attempts during which a transient owner-lookup failure is retried; after that the claim is written without an owner. */
  ownerLookupAttempts?: number;
}

const AssignPayload = z.object({ slack_user_id: z.string().regex(/^[UW][A-Z0-9]{2,}$/), assignment_id: z.number().int().optional() });
const EarlierResult = z.object({ crm: z.string(), owner_id: z.string().nullable() });

/** crm_* effect handlers. Each returns the CRM ids it touched, which the dispatcher keeps in outbox.result_json. */
export function createCrmEffectHandlers(deps: CrmHandlerDeps): Pick<Record<EffectKind, EffectHandler>, 'crm_upsert_contact' | 'crm_add_note' | 'crm_create_task' | 'crm_assign_owner'> {
  const { db, crm, policy } = deps;

  // Idempotent by email in both CRMs, so every handler can make sure its contact exists (effects run in any order).
  async function ensureContact(ctx: EffectContext): Promise<{ contact_id: string; created: boolean }> {
    const props = mapLeadProperties(ctx.lead.lead, policy.policy.crm.field_mapping);
    const write = await crm.upsertContact(ctx.lead.lead.email, props);
    return { contact_id: write.id, created: write.created };
  }

  async function resolveClaim(effect: OutboxEffect, slackUserId: string): Promise<Omit<OwnerClaim, 'replaceableOwnerId'>> {
    if (!deps.owners) return { slackUserId, ownerId: null, via: 'none', reason: 'no Slack-to-CRM owner lookup is configured' };
    try {
      return { slackUserId, ...(await deps.owners.resolve(slackUserId)) };
    } catch (err) {
      // Transient lookups get the outbox's retries, but only for a while: the claim's note must not wait forever.
      if (err instanceof TransientError && effect.attempts < (deps.ownerLookupAttempts ?? 4)) throw err;
      deps.logger.warn({ err: (err as Error).message, lead_id: effect.lead_id }, 'crm owner lookup failed; claim recorded without an owner');
      return { slackUserId, ownerId: null, via: 'none', reason: `owner lookup failed (${(err as Error).message.slice(0, 160)})` };
    }
  }

  /** The owner this app set for the lead's latest earlier claim that set one: a Reassign may replace it, nobody else's. */
  function ownerSetEarlier(effect: OutboxEffect): string | null {
    const rows = db.prepare(`SELECT result_json FROM outbox WHERE lead_id = ? AND kind = 'crm_assign_owner' AND status = 'done' AND id != ? ORDER BY id DESC`)
      .pluck().all(effect.lead_id, effect.id) as Array<string | null>;
    for (const raw of rows) {
      const r = EarlierResult.safeParse(raw ? JSON.parse(raw) : null);
      if (r.success && r.data.crm === crm.name && r.data.owner_id) return r.data.owner_id;
    }
    return null;
  }

  return {
    async crm_upsert_contact(effect: OutboxEffect) {
      const ctx = loadEffectContext(db, effect);
      const contact = await ensureContact(ctx);
      // A link only helps if the card shows it: a card already posted is updated once the link is known.
      const url = (await crm.recordUrl?.(contact.contact_id)) ?? null;
      if (url) {
        enqueueEffect(db, { lead_id: effect.lead_id, decision_id: effect.decision_id, correlation_id: effect.correlation_id, kind: 'slack_update_card', dedupe_key: `${effect.lead_id}:slack_update_card:crm_url`, payload: { reason: 'crm_url' } });
      }
      return { crm: crm.name, ...contact, ...(url ? { url } : {}) };
    },
    async crm_add_note(effect) {
      const ctx = loadEffectContext(db, effect);
      const { contact_id } = await ensureContact(ctx);
      const note = await crm.addNote(contact_id, buildNoteBody(ctx), effect.dedupe_key);
      return { crm: crm.name, contact_id, note_id: note.id, created: note.created };
    },
    async crm_create_task(effect) {
      const ctx = loadEffectContext(db, effect);
      const { contact_id } = await ensureContact(ctx);
      const p = policy.policy;
      const route = ctx.decision.route;
      const owner = currentAssignment(db, effect.lead_id)?.user_id ?? (route ? (p.routing.queues[route].owners[0] ?? null) : null);
      // Due from the decision time, not the attempt time, so a retried task keeps the same deadline.
      const due = new Date(Date.parse(ctx.decided_at) + p.sla.first_touch_minutes * 60_000);
      const who = (ctx.lead.lead.name ? clipText(ctx.lead.lead.name, 80) : '') || ctx.lead.lead.email;
      const task = await crm.createTask({
        contactId: contact_id,
        ownerHint: owner ? `Slack user ${owner} (${route} queue)` : route ? `${route} queue` : null,
        subject: `Follow up with ${who} (${ctx.decision.priority} priority)`,
        body: buildNoteBody(ctx),
        due,
        dedupeKey: effect.dedupe_key,
      });
      return { crm: crm.name, contact_id, task_id: task.id, created: task.created };
    },
    async crm_assign_owner(effect) {
      const payload = AssignPayload.safeParse(effect.payload);
      if (!payload.success) throw new PermanentError('crm_assign_owner: payload needs a slack_user_id');
      const ctx = loadEffectContext(db, effect);
      const slackUserId = payload.data.slack_user_id;
      const routed = payload.data.assignment_id === undefined ? undefined
        : (db.prepare('SELECT reason FROM assignments WHERE id = ?').pluck().get(payload.data.assignment_id) as string | undefined);
      const claim = {
        ...(await resolveClaim(effect, slackUserId)), replaceableOwnerId: ownerSetEarlier(effect),
        ...(routed ? { headline: `Assigned by lead-triage to Slack user ${slackUserId}: ${clipText(routed, 300)}` } : {}),
      };
      const { contact_id } = await ensureContact(ctx);
      const result = await crm.assignOwner(contact_id, claim, effect.dedupe_key);
      if (result.unchanged) {
        deps.audit.record({
          lead_id: effect.lead_id, correlation_id: effect.correlation_id, stage: 'act', event: 'crm_owner_unchanged', actor: 'system',
          reason: result.unchanged.detail, output: { slack_user_id: slackUserId, via: claim.via, reason: result.unchanged.reason, current_owner: result.unchanged.current_owner ?? null },
        });
        const crmLabel = crm.name === 'hubspot' ? 'HubSpot' : 'CRM';
        await deps.tellClaimer?.({ leadId: effect.lead_id, slackUserId, text: `${crmLabel} owner unchanged: ${result.unchanged.detail}.` });
      }
      return {
        crm: crm.name, contact_id, owner_id: result.owner_id, owner_via: claim.via, note_id: result.note.id,
        ...(result.unchanged ? { owner_unchanged: result.unchanged.reason, owner_unchanged_detail: result.unchanged.detail } : {}),
      };
    },
  };
}
