import type { Config } from '../config/env.ts';
import type { Db } from '../store/db.ts';
import type { Logger } from '../observability/logger.ts';
import type { Crm } from './types.ts';
import { createHubspotCrm } from './hubspot.ts';
import { createLocalCrm } from './local.ts';
import { createInflightLedger } from '../outbox/inflight.ts';

export type { Crm } from './types.ts';

/** HubSpot when a private-app token is configured, otherwise the embedded SQLite CRM. */
export function createCrm(config: Config, db: Db, logger: Logger, opts: { lifecycleStage?: string } = {}): Crm {
  if (config.hubspot.accessToken) {
    logger.info({ crm: 'hubspot', base_url: config.hubspot.baseUrl ?? 'default' }, 'crm: HubSpot');
    return createHubspotCrm({ accessToken: config.hubspot.accessToken, baseUrl: config.hubspot.baseUrl, ledger: createInflightLedger(db, { settleMs: config.outbox.settleMs }) });
  }
  logger.info({ crm: 'local' }, 'crm: embedded SQLite CRM (HUBSPOT_ACCESS_TOKEN not set)');
  return createLocalCrm(db, { lifecycleStage: opts.lifecycleStage });
}
