import { describe, expect, it } from 'vitest';
import { parseTriage } from '../../src/slack/triageParse.ts';

describe('parseTriage', () => {
  it.each([
    ['', { cmd: 'help' }],
    ['help', { cmd: 'help' }],
    ['  QUEUE ', { cmd: 'queue' }],
    ['stats', { cmd: 'stats' }],
    ['pause', { cmd: 'pause' }],
    ['resume', { cmd: 'resume' }],
    ['status 7f1c2a9e-0000-4000-8000-000000000001', { cmd: 'status', target: '7f1c2a9e-0000-4000-8000-000000000001' }],
    ['status <mailto:a@b.example|a@b.example>', { cmd: 'status', target: 'a@b.example' }],
    ['a@b.example', { cmd: 'reprocess', target: 'a@b.example' }],
    ['7f1c2a9e-0000-4000-8000-000000000001', { cmd: 'reprocess', target: '7f1c2a9e-0000-4000-8000-000000000001' }],
  ])('%j', (text, expected) => {
    expect(parseTriage(text)).toEqual(expected);
  });

  it('turns anything else into usage, never an error', () => {
    for (const text of ['frobnicate', 'status', 'status a b', 'queue now', "'; DROP TABLE leads; --", '<!channel>']) {
      expect(parseTriage(text)).toEqual({ cmd: 'usage', input: text });
    }
  });
});
