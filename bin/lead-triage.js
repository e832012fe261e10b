#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step, no compiled output in git.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
