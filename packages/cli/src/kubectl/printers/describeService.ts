import type { Service } from '@cilium-sim/core';
import type { KubeObject } from '../objects.ts';
import { DescribeWriter } from './describeWriter.ts';

/** An Endpoints object's subsets, as the API server serves them. */
interface EndpointSubset {
  readonly addresses?: readonly { readonly ip: string }[];
  readonly ports?: readonly { readonly name?: string; readonly port: number }[];
}

/** `kubectl describe service` as kubectl 1.29 prints it; `endpoints` is the Service's Endpoints object. */
export function describeService(svc: Service, endpoints: KubeObject | undefined): string {
  const w = new DescribeWriter();
  const { metadata: m, spec } = svc;
  w.line(0, 'Name:', m.name);
  w.line(0, 'Namespace:', m.namespace ?? '');
  w.labels('Labels', m.labels);
  w.annotations('Annotations', m.annotations);
  const selector = Object.entries(spec.selector ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  w.line(0, 'Selector:', selector === '' ? '<none>' : selector);
  w.line(0, 'Type:', spec.type);
  w.line(0, 'IP Family Policy:', 'SingleStack');
  w.line(0, 'IP Families:', 'IPv4');
  w.line(0, 'IP:', spec.clusterIP);
  w.line(0, 'IPs:', spec.clusterIPs.length === 0 ? '<none>' : spec.clusterIPs.join(','));
  const subsets = (endpoints?.['subsets'] ?? []) as readonly EndpointSubset[];
  for (const p of spec.ports) {
    const name = p.name ?? '';
    const shown = name === '' ? '<unset>' : name;
    w.line(0, 'Port:', shown, `${p.port}/${p.protocol}`);
    w.line(0, 'TargetPort:', `${p.targetPort ?? p.port}/${p.protocol}`);
    if (p.nodePort !== undefined && p.nodePort !== 0) w.line(0, 'NodePort:', shown, `${p.nodePort}/${p.protocol}`);
    w.line(0, 'Endpoints:', formatEndpoints(subsets, name));
  }
  w.line(0, 'Session Affinity:', 'None');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') w.line(0, 'External Traffic Policy:', 'Cluster');
  w.events([]);
  return w.text();
}

/** kubectl's formatEndpoints: the first three `ip:port` of the named port, then `+ N more...`. */
function formatEndpoints(subsets: readonly EndpointSubset[], portName: string): string {
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    for (const port of ss.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const addr of ss.addresses ?? []) {
        count++;
        if (list.length < 3) list.push(`${addr.ip}:${port.port}`);
      }
    }
  }
  if (count === 0) return '<none>';
  return count > list.length ? `${list.join(',')} + ${count - list.length} more...` : list.join(',');
}
