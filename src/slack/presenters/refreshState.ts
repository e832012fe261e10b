import type { RefreshNoteView } from '../../../blocks/refreshNote.ts';
import type { StoredRefresh } from '../../review/refresh.ts';

/** What the refresh note in the card's thread shows, from the stored refresh. */
export function refreshNoteView(r: StoredRefresh): RefreshNoteView {
  return {
    refreshId: r.row.id,
    leadId: r.row.lead_id,
    requestedBy: r.row.requested_by,
    human: r.human,
    diff: r.diff,
    proposed: { final_action: r.decision.final_action, route: r.decision.route },
    status: r.row.status,
    resolvedBy: r.row.resolved_by,
    resolvedAt: r.row.resolved_at,
  };
}
