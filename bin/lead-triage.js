#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step, no compiled output in git.
import { register } from 'tsx/esm/api';

if (process.argv[2] === 'serve') {
  // `npm start` execs node, so npm forwards its SIGINT/SIGTERM straight to us; a terminal's Ctrl-C reaches
  // us directly as well, so one Ctrl-C arrives twice. serve stops on the first signal with a one-shot
  // handler; without this listener the echo would find none left and kill node mid-shutdown. Registered
  // before serve's handler, so it runs first and sees whether serve is still listening.
  let handledAt = 0;
  const echoGuard = (signal) => {
    if (process.listenerCount(signal) > 1) {
      handledAt ||= Date.now(); // serve takes this one
      return;
    }
    if (handledAt && Date.now() - handledAt < 1000) return; // the echo of a signal serve is handling
    // Nobody handles it (start-up not finished, or a deliberate second signal): node's default, exit now.
    process.removeListener('SIGINT', echoGuard);
    process.removeListener('SIGTERM', echoGuard);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', echoGuard);
  process.on('SIGTERM', echoGuard);
}

register();
await import('../src/cli/main.ts');
