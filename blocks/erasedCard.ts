import type { SlackMessage } from './model.ts';
import { section } from './section.ts';

export type ErasureWhy = 'request' | 'retention';

const WHY: Record<ErasureWhy, string> = { request: 'on request', retention: 'under the retention policy' };

/** What every message about an erased lead becomes: no name, no company, no words of theirs, no buttons. */
export function erasedCard(v: { leadId: string; why: ErasureWhy; on: string }): SlackMessage {
  const text = `Lead erased ${WHY[v.why]} on ${v.on}.`;
  return {
    text,
    blocks: [
      section(`:wastebasket: *Lead erased ${WHY[v.why]}* on ${v.on}.`),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `\`${v.leadId}\` · its details are deleted from lead-triage; the audit trail keeps its figures only. A CRM record is not deleted automatically.` }] },
    ],
  };
}
