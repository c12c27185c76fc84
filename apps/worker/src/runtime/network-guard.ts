import type { NetworkPolicy } from '@garrison/core';

/**
 * OUTPUT rules written into a workspace's own network namespace by a short-lived root sidecar
 * (the workspace itself has no capabilities, so nothing inside can undo them). Rules live as long
 * as the namespace, so they are written again at every container start.
 *
 * - egress: the internet, but nothing on private, link-local (cloud metadata), loopback-range or
 *   multicast addresses: no host, no control plane, no other workspace.
 * - model_only: nothing leaves but the model gateway: the host's address on the workspace's own
 *   network, at the gateway's port (egress lets that through too; the rest of the host stays shut).
 * Loopback stays open: Docker's embedded DNS answers on 127.0.0.11 inside the namespace.
 * (model_only networks are internal: their embedded DNS resolves nothing outside anyway.)
 */
const BLOCKED_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];
const BLOCKED_V6 = ['::/128', '::1/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10', 'ff00::/8'];

export const GUARD_MARKER = 'garrison-network-guard';

export interface ModelGatewayHole {
  address: string;
  port: number;
}

export function networkGuardScript(policy: NetworkPolicy, gateway: ModelGatewayHole | null = null): string | null {
  if (policy === 'none' || policy === 'open') return null;
  const v4 = ['iptables -w -A OUTPUT -o lo -j ACCEPT'];
  if (gateway && /^[\d.]+$/.test(gateway.address) && Number.isInteger(gateway.port)) {
    v4.push(`iptables -w -A OUTPUT -p tcp -d ${gateway.address} --dport ${gateway.port} -j ACCEPT`);
  }
  const v6 = ['ip6tables -w -A OUTPUT -o lo -j ACCEPT'];
  if (policy === 'egress') {
    // Docker's embedded DNS forwards upstream from inside this namespace, as root (dockerd), to
    // the host's resolvers, which often sit in a private range. Let that through, and only that:
    // everything in the workspace runs as uid 1000.
    for (const proto of ['udp', 'tcp']) {
      v4.push(`iptables -w -A OUTPUT -p ${proto} --dport 53 -m owner --uid-owner 0 -j ACCEPT`);
      v6.push(`ip6tables -w -A OUTPUT -p ${proto} --dport 53 -m owner --uid-owner 0 -j ACCEPT`);
    }
    for (const range of BLOCKED_V4) v4.push(`iptables -w -A OUTPUT -d ${range} -m comment --comment ${GUARD_MARKER} -j REJECT`);
    for (const range of BLOCKED_V6) v6.push(`ip6tables -w -A OUTPUT -d ${range} -m comment --comment ${GUARD_MARKER} -j REJECT`);
  } else {
    v4.push(`iptables -w -A OUTPUT -m comment --comment ${GUARD_MARKER} -j REJECT`);
    v6.push(`ip6tables -w -A OUTPUT -m comment --comment ${GUARD_MARKER} -j REJECT`);
  }
  // IPv6 may be off in the namespace; then there is nothing to guard there.
  return ['set -e', ...v4, 'if [ -e /proc/net/if_inet6 ]; then', ...v6.map((line) => `  ${line}`), 'fi', `iptables -w -S OUTPUT | grep -q ${GUARD_MARKER}`].join('\n');
}
