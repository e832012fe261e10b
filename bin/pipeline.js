#!/usr/bin/env node
// The pipeline process `serve` forks and supervises (src/runtime/supervisor.ts): the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/runtime/pipelineChild.ts');
