import { formatLabelSelector, formatLabels } from './formatLabels.ts';
import { AGE_COLUMN, columns } from './printerColumn.ts';
import type { Endpoints, NetworkPolicy, Service } from './printerObjects.ts';

/**
 * Services, endpoints and network policies, as kubectl's printers.go prints them:
 * PORT(S) `80/TCP` or `80:30001/TCP` with a node port; EXTERNAL-IP `<none>` for ClusterIP and
 * NodePort services without external IPs, `<pending>` for a LoadBalancer without an address.
 */
function externalIP(svc: Service, wide: boolean): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc, wide);
      const all = [...(lb === '' ? [] : lb.split(',')), ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** Load-balancer addresses; without -o wide kubectl cuts them at 16 characters. */
function loadBalancerIngress(svc: Service, wide: boolean): string {
  const text = (svc.status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname || '')
    .filter((s) => s !== '')
    .join(',');
  return !wide && text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

function ports(svc: Service): string {
  const list = (svc.spec?.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return list.length > 0 ? list.join(',') : '<none>';
}

function clusterIP(svc: Service): string {
  return svc.spec?.clusterIPs?.[0] ?? (svc.spec?.clusterIP || '<none>');
}

export const SERVICE_COLUMNS = columns<Service>(
  { name: 'Type', type: 'string', cell: (s) => s.spec?.type ?? 'ClusterIP' },
  { name: 'Cluster-IP', type: 'string', cell: clusterIP },
  // The wide table shows the untruncated external address: kubectl's printer reads -o wide too.
  { name: 'External-IP', type: 'string', cell: (s, ctx) => externalIP(s, ctx.wide) },
  { name: 'Port(s)', type: 'string', cell: ports },
  AGE_COLUMN,
  { name: 'Selector', type: 'string', priority: 1, cell: (s) => formatLabels(s.spec?.selector) },
);

/**
 * ENDPOINTS: the first three `ip:port` pairs, then ` + N more...`. `<none>` without subsets.
 */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const targets = (ss.ports ?? []).length === 0 ? [undefined] : ss.ports!.map((p) => p.port);
    for (const port of targets) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(port === undefined ? a.ip : hostPort(a.ip, port));
      }
    }
  }
  const text = list.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

/** Go's net.JoinHostPort: IPv6 addresses get brackets. */
function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export const ENDPOINTS_COLUMNS = columns<Endpoints>({ name: 'Endpoints', type: 'string', cell: formatEndpoints }, AGE_COLUMN);

export const NETWORKPOLICY_COLUMNS = columns<NetworkPolicy>(
  { name: 'Pod-Selector', type: 'string', cell: (n) => formatLabelSelector(n.spec?.podSelector) },
  AGE_COLUMN,
);
