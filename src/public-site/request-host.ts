import ipaddr from 'ipaddr.js';
import { HOSTNAME } from '../contracts/trust-profile.ts';

/**
 * The host name a request arrived on (Host header, lower case, port dropped), or undefined when it cannot be
 * a custom domain: missing, an IP address, a single label such as `localhost`, or malformed.
 */
export function requestHost(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const host = header.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (ipaddr.isValid(host) || host.startsWith('[')) return undefined;
  return HOSTNAME.test(host) ? host : undefined;
}
