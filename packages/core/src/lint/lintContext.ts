import type { ErrorObjectRef } from '../errors.ts';
import { endpointLabels } from '../identity/endpointLabels.ts';
import type { LabelSet } from '../identity/labels.ts';
import { isRecord } from '../k8s/manifest.ts';
import { systemManifests } from '../k8s/systemWorkloads.ts';
import type { RawObject } from '../k8s/fieldReader.ts';
import { mapSelector, type Selector } from '../k8s/labelSelector.ts';
import { admitPolicyObject } from '../policy/parsePolicy.ts';
import { isTierPolicyKind, POLICY_KINDS, type PolicyKind } from '../policy/policyKinds.ts';
import type { PolicyRules } from '../policy/types.ts';
import { behaviourIn, type CiliumVersion, type VersionedBehaviourName } from '../version/ciliumVersion.ts';

/** A policy object of the linted manifests, as written and (when it parses) as the agents read it. */
export interface LintPolicy {
  /** Its position among the documents given to `lintPolicies`. */
  readonly document: number;
  readonly kind: PolicyKind;
  readonly ref: ErrorObjectRef;
  readonly raw: RawObject;
  /** Its rules, or undefined when the object does not parse (the sanitizer rules say why). */
  readonly rules?: PolicyRules;
}

/** A pod, or the pods of a workload's template, as an identity would label them. */
export interface LintWorkload {
  /** `Pod default/xwing`, `Deployment default/deathstar`. */
  readonly name: string;
  readonly namespace: string;
  /** The identity labels of its endpoints (k8s: pod labels, namespace, service account, cluster, namespace labels). */
  readonly labels: LabelSet;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: 'TCP' | 'UDP' | 'SCTP' }[];
}

export interface LintContext {
  readonly version: CiliumVersion;
  /** True when the caller named the version (`--cilium-version`): version-gated rules run. */
  readonly versionGiven: boolean;
  readonly policies: readonly LintPolicy[];
  /** The ClusterNetworkPolicies (and v1alpha1 AdminNetworkPolicies and BaselineAdminNetworkPolicies). */
  readonly tierPolicies: readonly LintPolicy[];
  /** The workloads the linted manifests define; empty when they define none. */
  readonly workloads: readonly LintWorkload[];
  /** What every cluster runs (CoreDNS, Hubble Relay, ...), so a rule to kube-dns selects something. */
  readonly systemWorkloads: readonly LintWorkload[];
  /** Namespace name -> its labels (the manifests' namespaces, the ones they use, and the system ones). */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** `namespace/name` of a Service -> its pod selector. */
  readonly services: ReadonlyMap<string, Selector>;
  inForce(behaviour: VersionedBehaviourName): boolean;
  /**
   * Cilium's sanitizer message as this version words it: 1.16 capitalises some that later
   * releases start lower-case (`Combining ...` became `combining ...`).
   */
  said(message: string): string;
}

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage', 'cilium-spire'];
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];
const CLUSTER_NAME = 'default';
/** The messages later releases start lower-case (cilium-next-facts §5.2). */
const LOWERCASED = /^(Combining|The ICMPs block|Port 53 must|Empty server name|Port must be|Unable to parse)/;

/** Reads the linted documents: policies (parsed when they parse), workloads, namespaces, Services. */
export function lintContext(values: readonly unknown[], version: CiliumVersion, versionGiven: boolean): LintContext {
  const policies: LintPolicy[] = [];
  const tierPolicies: LintPolicy[] = [];
  const namespaces = new Map<string, Record<string, string>>();
  const services = new Map<string, Selector>();
  const pods: { name: string; namespace: string; template: RawObject }[] = [];
  values.forEach((value, document) => {
    if (!isRecord(value)) return;
    const kind = value['kind'];
    const meta = isRecord(value['metadata']) ? value['metadata'] : {};
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
    // Most rules read CNP, CCNP and NetworkPolicy; the tiers' kinds (ClusterNetworkPolicy and its
    // v1alpha1 forerunners) have other fields and another order of evaluation: rules/tierPolicies.ts.
    const tierKind = POLICY_KINDS.find((k) => k === kind && isTierPolicyKind(k));
    if (tierKind !== undefined) {
      tierPolicies.push({ document, kind: tierKind, ref: { kind: tierKind, name }, raw: value });
      return;
    }
    const policyKind = POLICY_KINDS.find((k) => k === kind && !isTierPolicyKind(k));
    if (policyKind !== undefined) {
      const clusterwide = policyKind === 'CiliumClusterwideNetworkPolicy';
      const ref = clusterwide ? { kind: policyKind, name } : { kind: policyKind, namespace, name };
      const { rules } = admitPolicyObject(value);
      policies.push({ document, kind: policyKind, ref, raw: value, ...(rules === undefined ? {} : { rules }) });
      if (!clusterwide) namespaces.set(namespace, namespaces.get(namespace) ?? {});
      return;
    }
    if (kind === 'Namespace') namespaces.set(name, { ...stringMap(meta['labels']) });
    else if (kind === 'Service') {
      const spec = isRecord(value['spec']) ? value['spec'] : {};
      const selector = isRecord(spec['selector']) ? stringMap(spec['selector']) : {};
      // A Service without a selector selects no pod (its endpoints are kept by hand).
      if (Object.keys(selector).length > 0) services.set(`${namespace}/${name}`, mapSelector(selector));
    } else if (typeof kind === 'string') {
      const template = podTemplate(kind, value);
      if (template !== undefined) pods.push({ name: `${kind} ${namespace}/${name}`, namespace, template });
    }
  });
  for (const ns of SYSTEM_NAMESPACES) if (!namespaces.has(ns)) namespaces.set(ns, {});
  for (const p of pods) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, {});
  for (const [ns, labels] of namespaces) labels['kubernetes.io/metadata.name'] = ns;
  const workload = (p: (typeof pods)[number]): LintWorkload =>
    toWorkload(p.name, p.namespace, p.template, namespaces.get(p.namespace) ?? {});
  const system = systemManifests({ version, spire: true, kubeProxyReplacement: true }).flatMap((m) => {
    const meta = m['metadata'] as RawObject;
    const template = podTemplate(String(m['kind']), m);
    const namespace = String(meta['namespace'] ?? 'default');
    return template === undefined
      ? []
      : [workload({ name: `${String(m['kind'])} ${namespace}/${String(meta['name'])}`, namespace, template })];
  });
  return {
    version,
    versionGiven,
    policies,
    tierPolicies,
    workloads: pods.map(workload),
    systemWorkloads: system,
    namespaces,
    services,
    inForce: (b) => behaviourIn(version, b),
    said: (message) =>
      behaviourIn(version, 'sanitize-messages-lowercase') && LOWERCASED.test(message)
        ? `${message.charAt(0).toLowerCase()}${message.slice(1)}`
        : message,
  };
}

/** `{ metadata, spec }` of the pods an object runs: a Pod itself, a workload's template. */
function podTemplate(kind: string, value: RawObject): RawObject | undefined {
  if (kind === 'Pod') return value;
  const spec = isRecord(value['spec']) ? value['spec'] : undefined;
  if (spec === undefined) return undefined;
  if (TEMPLATE_KINDS.includes(kind) && isRecord(spec['template'])) return spec['template'];
  const job = kind === 'CronJob' && isRecord(spec['jobTemplate']) ? spec['jobTemplate']['spec'] : undefined;
  return isRecord(job) && isRecord(job['template']) ? job['template'] : undefined;
}

function toWorkload(name: string, namespace: string, template: RawObject, namespaceLabels: Readonly<Record<string, string>>): LintWorkload {
  const meta = isRecord(template['metadata']) ? template['metadata'] : {};
  const spec = isRecord(template['spec']) ? template['spec'] : {};
  const sa = typeof spec['serviceAccountName'] === 'string' ? spec['serviceAccountName'] : 'default';
  const { identity } = endpointLabels({
    namespace,
    podLabels: stringMap(meta['labels']),
    namespaceLabels,
    serviceAccount: sa,
    clusterName: CLUSTER_NAME,
  });
  const containers = Array.isArray(spec['containers']) ? spec['containers'] : [];
  const ports = containers.flatMap((c) =>
    isRecord(c) && Array.isArray(c['ports'])
      ? c['ports'].flatMap((p) =>
          isRecord(p) && typeof p['name'] === 'string' && typeof p['containerPort'] === 'number'
            ? [{ name: p['name'], port: p['containerPort'], protocol: protocolOf(p['protocol']) }]
            : [],
        )
      : [],
  );
  return { name, namespace, labels: identity, ports };
}

function protocolOf(value: unknown): 'TCP' | 'UDP' | 'SCTP' {
  return value === 'UDP' || value === 'SCTP' ? value : 'TCP';
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}
