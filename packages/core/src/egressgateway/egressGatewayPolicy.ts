import { ipToInt, intToIp, networkOf } from '../ipv4.ts';
import type { CiliumEgressGatewayPolicy } from '../k8s/schemas/ciliumEgressGatewayPolicy.ts';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../identity/endpointLabels.ts';
import { FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion } from '../version/ciliumVersion.ts';
import { makeSelector, readLabelSelector, type Selector as LabelSelector } from '../k8s/labelSelector.ts';

/** An IPv4 prefix as the egress map keys it: network address and length. */
export interface Ipv4Prefix {
  /** `192.168.60.0/24`, host bits cleared as Go's net.ParseCIDR does. */
  readonly text: string;
  readonly net: number;
  readonly len: number;
}

/**
 * A CiliumEgressGatewayPolicy as the agent holds it (pkg/egressgateway PolicyConfig): the source
 * selectors as endpoint selectors, the destination and excluded prefixes, and how to find the
 * gateway node and its egress address.
 */
export interface EgressGatewayPolicy {
  readonly name: string;
  /** One per `selectors[]` entry; an endpoint matching any of them is selected. */
  readonly selectors: readonly LabelSelector[];
  readonly destinations: readonly Ipv4Prefix[];
  readonly excluded: readonly Ipv4Prefix[];
  /** Over the nodes' labels; the first matching node by name is the gateway. */
  readonly nodeSelector: LabelSelector;
  readonly egressIP?: string;
  readonly iface?: string;
}

/** Why the agent refused a policy the API server accepted, in ParseCEGP's words. */
export interface EgressPolicyRefusal {
  readonly error: string;
}

/**
 * ParseCEGP: a pod selector's keys match the endpoint's identity labels of any source; a
 * namespace selector's keys are namespace labels (`io.cilium.k8s.namespace.labels.<key>`), and an
 * empty one selects every namespace. A policy naming both an interface and an egress IP is
 * refused.
 */
export function parseEgressGatewayPolicy(cegp: CiliumEgressGatewayPolicy): EgressGatewayPolicy | EgressPolicyRefusal {
  const gw = cegp.spec.egressGateway;
  if (gw.interface !== undefined && gw.interface !== '' && gw.egressIP !== undefined && gw.egressIP !== '') {
    return { error: "CiliumEgressGatewayPolicy's gateway configuration can't specify both an interface and an egress IP" };
  }
  // No field of an egress gateway policy differs between the versions modelled.
  const r = new FieldReader(`CiliumEgressGatewayPolicy ${cegp.metadata.name}`, parseCiliumVersion(DEFAULT_CILIUM_VERSION));
  const selectors = cegp.spec.selectors.map((rule, i) => {
    const parts: LabelSelector[] = [];
    if (rule.podSelector !== undefined)
      parts.push(readLabelSelector(r, rule.podSelector as RawObject, `spec.selectors[${i}].podSelector`, { defaultSource: 'any' }));
    const ns = rule.namespaceSelector;
    if (ns !== undefined) {
      const empty = Object.keys(ns.matchLabels ?? {}).length === 0 && (ns.matchExpressions ?? []).length === 0;
      parts.push(
        empty
          ? makeSelector([{ source: 'any', key: NAMESPACE_KEY, operator: 'Exists', values: [] }])
          : readLabelSelector(r, ns as RawObject, `spec.selectors[${i}].namespaceSelector`, {
              defaultSource: 'any',
              keyPrefix: NAMESPACE_LABELS_PREFIX,
            }),
      );
    }
    return makeSelector(parts.flatMap((p) => p.requirements));
  });
  return {
    name: cegp.metadata.name,
    selectors,
    destinations: cegp.spec.destinationCIDRs.map(parsePrefix),
    excluded: (cegp.spec.excludedCIDRs ?? []).map(parsePrefix),
    nodeSelector: readLabelSelector(r, gw.nodeSelector as RawObject, 'spec.egressGateway.nodeSelector', { defaultSource: 'any' }),
    ...(gw.egressIP === undefined || gw.egressIP === '' ? {} : { egressIP: gw.egressIP }),
    ...(gw.interface === undefined || gw.interface === '' ? {} : { iface: gw.interface }),
  };
}

/** `10.0.0.7/24` as `10.0.0.0/24`; the schema has checked the text. */
export function parsePrefix(text: string): Ipv4Prefix {
  const [ip, lenText] = text.split('/');
  const len = Number(lenText);
  const net = networkOf(ipToInt(ip!), len);
  return { text: `${intToIp(net)}/${len}`, net, len };
}
