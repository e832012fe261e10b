import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const uplot = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

/** Every file the console serves, read once: our stylesheet and chart script, and uPlot bundled from node_modules. */
const FILES: Record<string, { path: string; type: string }> = {
  'console.css': { path: join(here, 'assets', 'console.css'), type: 'text/css; charset=utf-8' },
  'figures.js': { path: join(here, 'assets', 'figures.js'), type: 'text/javascript; charset=utf-8' },
  'feed.js': { path: join(here, 'assets', 'feed.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.iife.min.js': { path: join(uplot, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { path: join(uplot, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

export function loadAssets(): Map<string, { body: Buffer; type: string }> {
  return new Map(Object.entries(FILES).map(([name, f]) => [name, { body: readFileSync(f.path), type: f.type }]));
}
