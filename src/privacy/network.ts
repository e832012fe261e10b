import ipaddr from 'ipaddr.js';

/**
 * The network a request came from (/24 for IPv4, /48 for IPv6), not the address: enough to see a flood in the audit
 * log without keeping, on a row that belongs to no lead and so can never be erased, a person's IP.
 */
export function networkOf(address: string | null | undefined): string | null {
  if (!address || !ipaddr.isValid(address)) return null;
  const ip = ipaddr.process(address);
  return ip.kind() === 'ipv4'
    ? `${ipaddr.IPv4.networkAddressFromCIDR(`${ip.toString()}/24`).toString()}/24`
    : `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/48`).toString()}/48`;
}
