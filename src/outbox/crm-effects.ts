import { z } from 'zod';
import type { EffectKind, OutboxEffect } from '../core/effects.ts';
import { PermanentError } from '../core/upstream.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../observability/logger.ts';
import { loadEffectContext, type EffectContext } from './effect-context.ts';
import type { EffectHandler } from './types.ts';
import { mapLeadProperties } from '../crm/properties.ts';
import { buildNoteBody } from '../crm/note-body.ts';
import type { Crm } from '../crm/types.ts';

export interface CrmHandlerDeps {
  db: Db;
  crm: Crm;
  policy: LoadedPolicy;
  audit: AuditLog;
  logger: Logger;
}

const AssignPayload = z.object({ slack_user_id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) });

/** crm_* effect handlers. Each returns the CRM ids it touched, which the dispatcher keeps in outbox.result_json. */
export function createCrmEffectHandlers(deps: CrmHandlerDeps): Pick<Record<EffectKind, EffectHandler>, 'crm_upsert_contact' | 'crm_add_note' | 'crm_create_task' | 'crm_assign_owner'> {
  const { db, crm, policy } = deps;

  // Idempotent by email in both CRMs, so every handler can make sure its contact exists (effects run in any order).
  async function ensureContact(ctx: EffectContext): Promise<{ contact_id: string; created: boolean }> {
    const props = mapLeadProperties(ctx.lead.lead, policy.policy.crm.field_mapping);
    const write = await crm.upsertContact(ctx.lead.lead.email, props);
    return { contact_id: write.id, created: write.created };
  }

  return {
    async crm_upsert_contact(effect: OutboxEffect) {
      const ctx = loadEffectContext(db, effect);
      return { crm: crm.name, ...(await ensureContact(ctx)) };
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
      const owner = route ? (p.routing.queues[route].owners[0] ?? null) : null;
      // Due from the decision time, not the attempt time, so a retried task keeps the same deadline.
      const due = new Date(Date.parse(ctx.decided_at) + p.sla.first_touch_minutes * 60_000);
      const who = ctx.lead.lead.name?.slice(0, 80) || ctx.lead.lead.email;
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
      const { contact_id } = await ensureContact(ctx);
      const result = await crm.assignOwner(contact_id, payload.data.slack_user_id, effect.dedupe_key);
      return { crm: crm.name, contact_id, owner_id: result.owner_id, note_id: result.note.id };
    },
  };
}
