import { embeddedDefaults } from '../../config/env.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Command } from '../command.ts';

export const checkConfig: Command = {
  name: 'check-config',
  summary: 'validate the environment and the policy file, print what runs embedded',
  usage: 'check-config',
  async run(_args, { config, out }) {
    const loaded = loadPolicy(config.policyPath);
    out(`ok: policy ${loaded.path} (version ${loaded.policy.version}, hash ${loaded.hash})`);
    out(`database: ${config.databasePath}`);
    for (const line of embeddedDefaults(config)) out(`embedded default: ${line}`);
    return 0;
  },
};
