import { labelSet } from '../identity/labels.ts';
import { join, type FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { readPortProtocol } from './parsePorts.ts';
import { readCidrSet } from './parseRule.ts';
import { endpointsPeer, WILDCARD_PEER, type PeerSelector } from './peerSelector.ts';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../identity/endpointLabels.ts';
import { makeSelector, readLabelSelector } from '../k8s/labelSelector.ts';
import { inNamespace } from './namespaceScope.ts';
import { KUBERNETES_KEYS } from './parseRule.ts';
import type { PeerRule, PolicyRule, PolicySource, PortRule, RuleSection } from './types.ts';

/**
 * Kubernetes NetworkPolicy as Cilium translates it (§2.6). podSelector keys are `k8s:` labels;
 * a namespaceSelector becomes a match on `k8s:io.cilium.k8s.namespace.labels.<key>`; a peer with
 * both ANDs them; `from`/`to` missing or empty admits every peer; ipBlock becomes a CIDR set.
 */
export function readNetworkPolicySpec(r: FieldReader, obj: RawObject, source: PolicySource & { namespace: string }): PolicyRule[] {
  const spec = r.record(obj['spec'], 'spec');
  if (spec === undefined) {
    r.report('INVALID_FIELD', 'spec', 'a NetworkPolicy needs a spec with a podSelector');
    return [];
  }
  r.knownKeys(spec, 'spec', ['podSelector', 'policyTypes', 'ingress', 'egress']);
  const podRaw = r.record(spec['podSelector'], 'spec.podSelector');
  if (podRaw === undefined)
    r.report('INVALID_SELECTOR', 'spec.podSelector', 'podSelector is required; use {} to select every pod of the namespace');
  const subject = inNamespace(readLabelSelector(r, podRaw ?? {}, 'spec.podSelector', KUBERNETES_KEYS), source.namespace, true);
  const types = readPolicyTypes(r, spec);
  const section = (name: 'ingress' | 'egress'): PeerRule[] =>
    r.list(spec[name], `spec.${name}`, (raw, p, i) => readKnpRule(r, raw, p, name, i, source.namespace)) ?? [];
  const ingress = section('ingress');
  const egress = section('egress');
  return [
    {
      source,
      specIndex: 0,
      specPath: 'spec',
      subject: { kind: 'endpoints', selector: subject },
      ingress: types.ingress ? ingress : [],
      egress: types.egress ? egress : [],
      hasIngress: types.ingress,
      hasEgress: types.egress,
      defaultDeny: { ingress: types.ingress, egress: types.egress },
      labels: labelSet([]),
    },
  ];
}

/** policyTypes default: Ingress always, Egress when the spec has an egress section. */
function readPolicyTypes(r: FieldReader, spec: RawObject): { ingress: boolean; egress: boolean } {
  const types = r.strings(spec['policyTypes'], 'spec.policyTypes');
  if (types === undefined) return { ingress: true, egress: spec['egress'] !== undefined && spec['egress'] !== null };
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      r.report('INVALID_FIELD', `spec.policyTypes[${i}]`, `policy type must be Ingress or Egress, got "${t}"`);
  });
  return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
}

function readKnpRule(r: FieldReader, raw: RawObject, p: string, section: RuleSection, index: number, namespace: string): PeerRule {
  const peerField = section === 'ingress' ? 'from' : 'to';
  r.knownKeys(raw, p, [peerField, 'ports']);
  const peers = r.list(raw[peerField], join(p, peerField), (peer, pp) => readKnpPeer(r, peer, pp, namespace)) ?? [];
  const ports = r.list(raw['ports'], join(p, 'ports'), (port, pp) => readPortProtocol(r, port, pp, 'TCP'));
  const portRules: PortRule[] | undefined = ports === undefined || ports.length === 0 ? undefined : [{ ports: ports.flat() }];
  return {
    section,
    index,
    deny: false,
    peers: peers.length === 0 ? [WILDCARD_PEER] : peers,
    ...(peers.length === 0 ? {} : { peerField }),
    ...(portRules === undefined ? {} : { portRules }),
  };
}

function readKnpPeer(r: FieldReader, raw: RawObject, p: string, namespace: string): PeerSelector | undefined {
  r.knownKeys(raw, p, ['podSelector', 'namespaceSelector', 'ipBlock']);
  const pod = r.record(raw['podSelector'], join(p, 'podSelector'));
  const ns = r.record(raw['namespaceSelector'], join(p, 'namespaceSelector'));
  const block = r.record(raw['ipBlock'], join(p, 'ipBlock'));
  if (block !== undefined) {
    if (pod !== undefined || ns !== undefined)
      r.report('INVALID_FIELD', p, 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer; use separate peers');
    return readCidrSet(r, block, join(p, 'ipBlock'));
  }
  if (pod === undefined && ns === undefined) {
    r.report('INVALID_SELECTOR', p, 'a peer needs podSelector, namespaceSelector or ipBlock');
    return undefined;
  }
  const podSel = readLabelSelector(r, pod ?? {}, join(p, 'podSelector'), KUBERNETES_KEYS);
  if (ns === undefined) return endpointsPeer(inNamespace(podSel, namespace, false));
  const nsSel = readLabelSelector(r, ns, join(p, 'namespaceSelector'), { defaultSource: 'k8s', keyPrefix: NAMESPACE_LABELS_PREFIX });
  const anyPod = { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists' as const, values: [] };
  return endpointsPeer(makeSelector([...podSel.requirements, ...nsSel.requirements, anyPod]));
}
