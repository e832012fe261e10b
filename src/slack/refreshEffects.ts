import { z } from 'zod';
import { refreshNote } from '../../blocks/refreshNote.ts';
import { PermanentError } from '../core/upstream.ts';
import type { InflightLedger } from '../outbox/inflight.ts';
import type { EffectHandler } from '../outbox/types.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { getRefresh } from '../review/refresh.ts';
import type { Db } from '../store/db.ts';
import type { Notifier } from './notifier.ts';
import { postOnce } from './postOnce.ts';
import { cardPlace } from './cardPlace.ts';
import { refreshNoteView } from './presenters/refreshState.ts';

const Payload = z.object({ refresh_id: z.string().min(1).max(64) });

/** slack_refresh_note: what a reprocess of a person-decided lead found, in the thread of its card (lead card first). */
export function createRefreshEffects(deps: { db: Db; loaded: LoadedPolicy; notifier: Notifier; ledger: InflightLedger }): Record<'slack_refresh_note', EffectHandler> {
  const { db, notifier, ledger } = deps;
  return {
    slack_refresh_note: async (effect) => {
      const payload = Payload.safeParse(effect.payload);
      const refresh = payload.success ? getRefresh(db, payload.data.refresh_id) : null;
      if (!refresh) throw new PermanentError('slack_refresh_note: the reprocess result is missing');
      const card = cardPlace(db, effect.lead_id);
      const channel = card?.channel ?? deps.loaded.policy.routing.review_channel;
      const posted = await postOnce(ledger, notifier, { channel, threadTs: card?.ts, message: refreshNote(refreshNoteView(refresh)), key: effect.dedupe_key, leadId: effect.lead_id });
      return { channel: posted.channel, ts: posted.ts, thread_ts: card?.ts ?? null, mode: notifier.mode };
    },
  };
}
