import { labelSet, type Label } from '../identity/labels.ts';
import { join, type FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { readLabelSelector } from '../k8s/labelSelector.ts';
import { withAllowAll } from './l7Merge.ts';
import { inNamespace } from './namespaceScope.ts';
import { CILIUM_KEYS, readPeerRule, type Scope } from './parseRule.ts';
import type { PeerRule, PolicyRule, PolicySource, RuleSection, Subject } from './types.ts';

const SPEC_FIELDS = [
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'ingressDeny',
  'egress',
  'egressDeny',
  'labels',
  'description',
  'enableDefaultDeny',
  'log',
];

/** Reads `spec` and `specs[]` of a CNP/CCNP into rules (the object envelope is read by the caller). */
export function readCiliumSpecs(r: FieldReader, obj: RawObject, source: PolicySource): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const spec = r.record(obj['spec'], 'spec');
  if (spec !== undefined) rules.push(readSpec(r, spec, 'spec', source, 0));
  r.list(obj['specs'], 'specs', (raw, p) => void rules.push(readSpec(r, raw, p, source, rules.length)));
  if (obj['spec'] == null && obj['specs'] == null) r.report('INVALID_FIELD', 'spec', `a ${source.kind} needs "spec" or "specs"`);
  return rules;
}

function readSpec(r: FieldReader, raw: RawObject, p: string, source: PolicySource, specIndex: number): PolicyRule {
  r.knownKeys(raw, p, SPEC_FIELDS);
  const scope: Scope = source.namespace === undefined ? { kind: 'cluster' } : { kind: 'namespace', namespace: source.namespace };
  const subject = readSubject(r, raw, p, source);
  const section = (name: RuleSection): PeerRule[] =>
    r.list(raw[name], join(p, name), (rr, rp, i) => readPeerRule(r, rr, rp, name, i, scope)) ?? [];
  const [ingress, ingressDeny, egress, egressDeny] = [section('ingress'), section('ingressDeny'), section('egress'), section('egressDeny')];
  // Cilium defaults enableDefaultDeny per direction to "the rule has a section for it".
  const hasIngress = ingress.length > 0 || ingressDeny.length > 0;
  const hasEgress = egress.length > 0 || egressDeny.length > 0;
  // The field came in Cilium 1.16; an earlier CRD refuses it.
  const ddAllowed =
    raw['enableDefaultDeny'] === undefined ||
    r.requireField('enable-default-deny-field', join(p, 'enableDefaultDeny'), 'enableDefaultDeny');
  const dd = ddAllowed ? r.record(raw['enableDefaultDeny'], join(p, 'enableDefaultDeny')) : undefined;
  if (dd !== undefined) r.knownKeys(dd, join(p, 'enableDefaultDeny'), ['ingress', 'egress']);
  const ddIngress = r.boolean(dd?.['ingress'], join(p, 'enableDefaultDeny.ingress'));
  const ddEgress = r.boolean(dd?.['egress'], join(p, 'enableDefaultDeny.egress'));
  const description = r.string(raw['description'], join(p, 'description'));
  // From 1.18 the L7 rules of a direction that opts out of default deny deny nothing (cilium#38841).
  const widen = r.has('l7-wildcard-default-allow');
  return {
    source,
    specIndex,
    specPath: p,
    subject,
    ingress: [...(widen && ddIngress === false ? ingress.map(allowAllL7) : ingress), ...ingressDeny],
    egress: [...(widen && ddEgress === false ? egress.map(allowAllL7) : egress), ...egressDeny],
    hasIngress,
    hasEgress,
    defaultDeny: { ingress: hasIngress && ddIngress !== false, egress: hasEgress && ddEgress !== false },
    labels: readRuleLabels(r, raw['labels'], join(p, 'labels')),
    ...(description === undefined ? {} : { description }),
  };
}

function allowAllL7(pr: PeerRule): PeerRule {
  if (pr.portRules === undefined) return pr;
  return { ...pr, portRules: pr.portRules.map((x) => (x.l7 === undefined ? x : { ...x, l7: withAllowAll(x.l7) })) };
}

function readSubject(r: FieldReader, raw: RawObject, p: string, source: PolicySource): Subject {
  const ep = r.record(raw['endpointSelector'], join(p, 'endpointSelector'));
  const node = r.record(raw['nodeSelector'], join(p, 'nodeSelector'));
  if (ep !== undefined && node !== undefined) r.report('INVALID_SELECTOR', p, 'set either endpointSelector or nodeSelector, not both');
  if (ep === undefined && node === undefined)
    r.report(
      'INVALID_SELECTOR',
      join(p, 'endpointSelector'),
      'a rule needs an endpointSelector (or, in a CiliumClusterwideNetworkPolicy, a nodeSelector); use {} to select every endpoint',
    );
  if (node !== undefined && ep === undefined) {
    if (source.namespace !== undefined)
      r.report(
        'INVALID_SELECTOR',
        join(p, 'nodeSelector'),
        'nodeSelector (host policy) is allowed only in a CiliumClusterwideNetworkPolicy',
      );
    return { kind: 'nodes', selector: readLabelSelector(r, node, join(p, 'nodeSelector'), CILIUM_KEYS) };
  }
  const sel = readLabelSelector(r, ep ?? {}, join(p, 'endpointSelector'), CILIUM_KEYS);
  return { kind: 'endpoints', selector: source.namespace === undefined ? sel : inNamespace(sel, source.namespace, true) };
}

/** `labels: [{key, value, source}]` attached to the rule (not used for matching). */
function readRuleLabels(r: FieldReader, value: unknown, p: string): PolicyRule['labels'] {
  const labels = r.list(value, p, (raw, lp): Label | undefined => {
    r.knownKeys(raw, lp, ['key', 'value', 'source']);
    const key = r.string(raw['key'], join(lp, 'key'));
    if (key === undefined || key === '') return void r.report('INVALID_FIELD', join(lp, 'key'), 'a rule label needs a key');
    return { source: r.string(raw['source'], join(lp, 'source')) ?? 'unspec', key, value: r.string(raw['value'], join(lp, 'value')) ?? '' };
  });
  return labelSet(labels ?? []);
}
