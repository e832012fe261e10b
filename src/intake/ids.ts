import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Lead ids are `ld_` + a ULID-shaped 26-character Crockford base32 string: 10 characters of epoch ms then
 * 16 random ones (80 bits). They sort by creation time as plain strings and are safe in URLs and Slack values.
 */
export function newLeadId(nowMs: number = Date.now()): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! & 31];
  return `ld_${time}${rand}`;
}
