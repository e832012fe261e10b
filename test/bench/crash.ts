/**
 * `npm run crash -- --rounds 40 [--seed N] [--leads 3] [--random-max-ms 2000]`: SIGKILLs `lead-triage serve`
 * at a random kill point each round (mid-classify, mid HubSpot contact upsert / note / task create, mid Slack
 * card post, mid SMTP send, or a random delay after delivery), restarts it, and at the end counts what the
 * fakes received per lead and per kind. Exits 1 when any effect was duplicated or lost.
 */
import { parseArgs } from 'node:util';
import { formatCrashReport, KILL_POINTS, runCrashRounds } from '../helpers/crash-rounds.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '40' },
    seed: { type: 'string' },
    leads: { type: 'string', default: '3' },
    'random-max-ms': { type: 'string', default: '2000' },
    quiet: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');

const report = await runCrashRounds({
  rounds,
  leadsPerRound: Number(values.leads),
  randomMaxMs: Number(values['random-max-ms']),
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  pointFor: (_round, rng) => KILL_POINTS[Math.floor(rng() * KILL_POINTS.length)]!,
  log: values.quiet ? undefined : (line) => console.error(line),
});
console.log(formatCrashReport(report));
const bad = report.problems.length > 0 || report.rounds.some((r) => !r.recovered || !r.landed);
// Fakes may still hold answers for a killed process (their timers would keep the event loop alive).
process.exit(bad ? 1 : 0);
