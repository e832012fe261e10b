import { z } from 'zod';
import { PolicySchema } from '../../policy/schema.ts';
import { parseCommandArgs, type Command } from '../command.ts';

export const policySchema: Command = {
  name: 'policy-schema',
  summary: 'print the policy JSON Schema (for editor completion)',
  usage: 'policy-schema',
  async run(args, { out, err }) {
    if (!parseCommandArgs(policySchema, args, err, {})) return 2;
    out(JSON.stringify(z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }), null, 2));
    return 0;
  },
};
