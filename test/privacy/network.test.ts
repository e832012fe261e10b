import { describe, expect, it } from 'vitest';
import { networkOf } from '../../src/privacy/network.ts';

describe('networkOf: what a lead-less audit row keeps of a request\'s address', () => {
  it('keeps the /24 or /48, never the address; anything unreadable is null', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(networkOf('2001:db8:1234:5678::1')).toBe('2001:db8:1234::/48');
    expect(networkOf('not an ip')).toBeNull();
    expect(networkOf(null)).toBeNull();
  });
});
