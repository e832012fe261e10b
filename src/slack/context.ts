import type { Approvers } from './approvers.ts';
import type { SlackDeps } from './app.ts';

export type ReprocessFn = (leadId: string, actor: string) => { job_id: number };

/** What every listener receives; built once in createSlack. */
export interface SlackContext extends Omit<SlackDeps, 'config'> {
  approvers: Approvers;
}
