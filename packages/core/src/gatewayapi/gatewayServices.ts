import { intToIp, ipToInt } from '../ipv4.ts';
import type { OwnerReference, Service } from '../k8s/builtinObjects.ts';
import { getObject, type K8sState } from '../k8s/state.ts';
import type { FrontendModel } from './frontendModel.ts';

/** The label Cilium's Gateway API translation puts on a Gateway's Service (operator/pkg/gateway-api). */
export const OWNING_GATEWAY_LABEL = 'io.cilium.gateway/owning-gateway';
/** The label of the Ingress load balancers' Services (the shared one from Helm, the dedicated ones from the operator). */
export const CILIUM_INGRESS_LABEL = 'cilium.io/ingress';

/** The first address LB IPAM hands out (a pool in kind's docker network, as Cilium's docs use). */
const FIRST_LB_IP = ipToInt('172.18.255.200');

/**
 * A LoadBalancer Service Cilium keeps for a load balancer of Envoy: `cilium-gateway-NAME` for a
 * Gateway, `cilium-ingress-NAME` for a dedicated Ingress (both owned by their parent, so they go
 * with it), and the shared `kube-system/cilium-ingress` that Cilium's Helm chart installs.
 */
export interface LbService {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly owner?: OwnerReference;
  /** Fields of the spec beyond type and ports, as Cilium writes them. */
  readonly extraSpec: Readonly<Record<string, unknown>>;
  /** The address LB IPAM gave it. */
  readonly ip: string;
}

/** The Service of each frontend, as the operator (or Helm, for the shared Ingress) declares it. */
export function lbServicesOf(frontends: readonly FrontendModel[]): LbService[] {
  const out: LbService[] = [];
  for (const f of frontends) {
    const base = { namespace: f.namespace, name: f.service, ip: f.address };
    const owner = f.owner;
    if (owner?.kind === 'Gateway') {
      const ports = [...new Set(f.listeners.map((l) => l.port))].sort((a, b) => a - b);
      // A Gateway without a listener Cilium translates gets no Service (a Service needs a port).
      if (ports.length === 0) continue;
      out.push({
        ...base,
        labels: { [OWNING_GATEWAY_LABEL]: owner.name },
        ports: ports.map((port) => ({ name: `port-${port}`, port })),
        owner,
        extraSpec: { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', loadBalancerSourceRanges: ['0.0.0.0/0', '::/0'] },
      });
    } else if (owner?.kind === 'Ingress') {
      out.push({
        ...base,
        labels: { [CILIUM_INGRESS_LABEL]: 'true' },
        // One port per listener port: an https listener per TLS host shares 443.
        ports: [...new Map(f.listeners.map((l) => [l.port, { name: l.name, port: l.port }])).values()],
        owner,
        extraSpec: {},
      });
    } else {
      out.push({
        ...base,
        labels: { [CILIUM_INGRESS_LABEL]: 'true', 'app.kubernetes.io/part-of': 'cilium' },
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
        extraSpec: { externalTrafficPolicy: 'Cluster' },
      });
    }
  }
  return out;
}

/** Is `svc` one of the load balancer Services Cilium keeps (by the labels it sets)? */
export function isCiliumLbService(svc: Service): boolean {
  const labels = svc.metadata.labels;
  return svc.spec.type === 'LoadBalancer' && (labels[OWNING_GATEWAY_LABEL] !== undefined || labels[CILIUM_INGRESS_LABEL] === 'true');
}

/** The address a Service's status reports (`status.loadBalancer.ingress[0].ip`). */
export function lbIpOf(svc: Service): string | undefined {
  const status = (svc as { status?: { loadBalancer?: { ingress?: readonly { ip?: string }[] } } }).status;
  return status?.loadBalancer?.ingress?.[0]?.ip;
}

/** The address Cilium's load balancer Service `namespace/name` holds, if it exists. */
function heldIp(state: K8sState, key: string): string | undefined {
  const [namespace, name] = key.split('/') as [string, string];
  const svc = getObject(state, { kind: 'Service', namespace, name });
  return svc !== undefined && isCiliumLbService(svc) ? lbIpOf(svc) : undefined;
}

/**
 * LB IPAM over the Services: a Service keeps the address its status holds; a new one gets the
 * lowest free address of the pool. The Services are the one record of who holds which address,
 * so an address is freed when its Service goes. `kept` names the Services the operator keeps
 * (`namespace/name`), so no lookup scans every Service.
 */
export function lbIpam(state: K8sState, kept: ReadonlySet<string>): (namespace: string, service: string) => string {
  const used = new Set<string>();
  for (const key of kept) {
    const ip = heldIp(state, key);
    if (ip !== undefined) used.add(ip);
  }
  const given = new Map<string, string>();
  return (namespace, service) => {
    const key = `${namespace}/${service}`;
    const had = given.get(key) ?? heldIp(state, key);
    if (had !== undefined) return had;
    let n = FIRST_LB_IP;
    while (used.has(intToIp(n))) n++;
    const ip = intToIp(n);
    used.add(ip);
    given.set(key, ip);
    return ip;
  };
}
