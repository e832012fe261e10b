import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 256 * 1024;

export interface ReadBody {
  body: Buffer;
  tooLarge: boolean;
}

/** Reads at most `limit` bytes; past that it stops buffering (the rest is drained, never stored). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      req.on('end', () => resolve({ body: Buffer.alloc(0), tooLarge: true }));
      req.on('error', reject);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}
