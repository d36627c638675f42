import { SimError, type SimIssue } from '../errors.ts';
import { FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { METADATA_FIELD_NAMES } from '../k8s/schemas/envelope.ts';
import { rejectForkTlsFields } from './parseL7.ts';
import { readCiliumSpecs } from './parseCiliumPolicy.ts';
import { readNetworkPolicySpec } from './parseNetworkPolicy.ts';
import { POLICY_KINDS, isTierPolicyKind, type PolicyKind } from './policyKinds.ts';
import { readTierPolicy } from './parseTierPolicy.ts';
import type { PolicyRules, PolicySource } from './types.ts';
import { formatPolicySource } from './types.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion, type CiliumVersion } from '../version/ciliumVersion.ts';

const API_VERSIONS: Readonly<Record<PolicyKind, readonly string[]>> = {
  CiliumNetworkPolicy: ['cilium.io/v2'],
  CiliumClusterwideNetworkPolicy: ['cilium.io/v2'],
  NetworkPolicy: ['networking.k8s.io/v1'],
  ClusterNetworkPolicy: ['policy.networking.k8s.io/v1alpha2'],
  AdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
  BaselineAdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
};
const DEFAULT_VERSION = parseCiliumVersion(DEFAULT_CILIUM_VERSION);
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Parses and validates a policy object as read from YAML: CiliumNetworkPolicy,
 * CiliumClusterwideNetworkPolicy (`spec` and/or `specs[]`), networking.k8s.io/v1
 * NetworkPolicy, or a ClusterNetworkPolicy (AdminNetworkPolicy, BaselineAdminNetworkPolicy).
 * Pure. Throws one SimError listing every issue when anything is wrong.
 *
 * @example parsePolicy(yaml.parse(text)).rules[0].ingress[0].peers[0].key
 */
export function parsePolicy(obj: unknown, ciliumVersion?: CiliumVersion): PolicyRules {
  const { rules, issues } = read(obj, false, ciliumVersion);
  if (issues.length > 0 || rules === undefined) throw SimError.of(issues);
  return rules;
}

/** What the API server admits beyond upstream Cilium. */
export interface PolicyAdmissionOptions {
  /** Cluster extensions in force; `spiffeTlsUpgrade` admits AccuKnox's TLS fields. Default none. */
  readonly extensions?: readonly string[];
  /** The Cilium version whose CRDs and validation apply (fields added or removed). Default the labs' 1.16.0. */
  readonly ciliumVersion?: CiliumVersion;
}

/**
 * Every issue of a policy object (empty when valid); the k8s module's validation hook. Fields of
 * extensions not in `opts.extensions` are issues here; parsePolicy reads admitted objects whole.
 */
export function validatePolicyObject(obj: unknown, opts: PolicyAdmissionOptions = {}): SimIssue[] {
  return admitPolicyObject(obj, opts).issues;
}

/** Validates and parses in one pass: the rules of an admitted object, or its issues. */
export function admitPolicyObject(obj: unknown, opts: PolicyAdmissionOptions = {}): { rules?: PolicyRules; issues: SimIssue[] } {
  const out = read(obj, !(opts.extensions ?? []).includes('spiffeTlsUpgrade'), opts.ciliumVersion);
  return out.issues.length === 0 ? out : { issues: out.issues };
}

function read(obj: unknown, rejectForkTls: boolean, version = DEFAULT_VERSION): { rules?: PolicyRules; issues: SimIssue[] } {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { issues: [{ code: 'INVALID_OBJECT', message: 'a policy must be a YAML mapping with apiVersion, kind, metadata and spec' }] };
  }
  const raw = obj as RawObject;
  const kind = POLICY_KINDS.find((k) => k === raw['kind']);
  if (kind === undefined) {
    return {
      issues: [
        {
          code: 'UNKNOWN_KIND',
          path: 'kind',
          message: `not a policy kind: ${JSON.stringify(raw['kind'])}; expected one of ${POLICY_KINDS.join(', ')}`,
        },
      ],
    };
  }
  const source = readSource(raw, kind);
  const r = new FieldReader(formatPolicySource(source), version);
  if (isTierPolicyKind(source.kind)) {
    const rules = readTierPolicy(r, raw, { ...source, kind: source.kind });
    return { rules: { source, rules }, issues: r.issues };
  }
  if (rejectForkTls) rejectForkTlsFields(r);
  readEnvelope(r, raw, kind);
  const rules =
    kind === 'NetworkPolicy'
      ? readNetworkPolicySpec(r, raw, { ...source, namespace: source.namespace ?? 'default' })
      : readCiliumSpecs(r, raw, source);
  return { rules: { source, rules }, issues: r.issues };
}

function readSource(raw: RawObject, kind: PolicyKind): PolicySource {
  const meta = typeof raw['metadata'] === 'object' && raw['metadata'] !== null ? (raw['metadata'] as RawObject) : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  if (kind !== 'NetworkPolicy' && kind !== 'CiliumNetworkPolicy') return { kind, name };
  // kubectl puts a namespaced object without a namespace into `default`.
  const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
  return { kind, namespace, name };
}

function readEnvelope(r: FieldReader, raw: RawObject, kind: PolicyKind): void {
  // The old sw_l3_l4_policy manifest carries `description` at the top level; Cilium ignored it.
  const top = ['apiVersion', 'kind', 'metadata', 'spec', 'status', ...(kind === 'NetworkPolicy' ? [] : ['specs', 'description'])];
  r.knownKeys(raw, '', top);
  const versions = API_VERSIONS[kind];
  if (!versions.includes(String(raw['apiVersion']))) {
    r.report(
      'INVALID_FIELD',
      'apiVersion',
      `apiVersion of a ${kind} must be ${versions.join(' or ')}, got ${JSON.stringify(raw['apiVersion'] ?? null)}`,
    );
  }
  const meta = r.record(raw['metadata'], 'metadata');
  if (meta === undefined) return void r.report('INVALID_FIELD', 'metadata.name', 'metadata.name is required');
  r.knownKeys(meta, 'metadata', METADATA_FIELD_NAMES);
  const name = r.string(meta['name'], 'metadata.name');
  if (name === undefined || name === '') r.report('INVALID_FIELD', 'metadata.name', 'metadata.name is required');
  else if (name.length > 253 || !NAME_RE.test(name))
    r.report(
      'INVALID_FIELD',
      'metadata.name',
      `"${name}" is not a valid name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
    );
  if (kind === 'CiliumClusterwideNetworkPolicy' && meta['namespace'] !== undefined) {
    r.report('INVALID_FIELD', 'metadata.namespace', 'a CiliumClusterwideNetworkPolicy is cluster-scoped; remove metadata.namespace');
  }
}
