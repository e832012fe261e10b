import { embeddedDefaults } from '../../config/env.ts';
import { loadPolicy } from '../../policy/load.ts';
import { parseCommandArgs, type Command } from '../command.ts';
import { checkPeopleOnline } from './people-check.ts';

export const checkConfig: Command = {
  name: 'check-config',
  summary: 'validate the environment and the policy file (with credentials: that its people exist in Slack and HubSpot), print what runs embedded',
  usage: 'check-config',
  async run(args, { config, out, err }) {
    if (!parseCommandArgs(checkConfig, args, err, {})) return 2;
    const loaded = loadPolicy(config.policyPath);
    out(`ok: policy ${loaded.path} (version ${loaded.policy.version}, hash ${loaded.hash})`);
    out(`database: ${config.databasePath}`);
    for (const line of embeddedDefaults(config)) out(`embedded default: ${line}`);
    const people = await checkPeopleOnline(config, loaded.policy);
    for (const line of people.checked) out(`checked ${line}`);
    for (const line of people.problems) err(`${loaded.path}: ${line}`);
    return people.problems.length ? 2 : 0;
  },
};
