import { parseCidr, cidrContains, type Cidr } from './cidr.ts';
import { join, type FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { readDnsRule, readToPorts } from './parsePorts.ts';
import {
  cidrPeer,
  endpointsPeer,
  ENTITIES,
  entityPeer,
  fqdnPeer,
  WILDCARD_PEER,
  type EntityName,
  type PeerSelector,
} from './peerSelector.ts';
import { makeSelector, readLabelSelector, type Selector, type SelectorScope } from '../k8s/labelSelector.ts';
import { inAnyNamespace, inNamespace, mentionsNamespace } from './namespaceScope.ts';
import { AUTH_TYPE, AUTH_TYPES } from './authType.ts';
import type { PeerRule, PortRule, RuleSection } from './types.ts';
import { readIcmps } from './parseIcmp.ts';

/** Keys without a source: `any` in Cilium's selectors, `k8s` in Kubernetes' (NetworkPolicy, k8sServiceSelector). */
export const CILIUM_KEYS: SelectorScope = Object.freeze({ defaultSource: 'any' });
export const KUBERNETES_KEYS: SelectorScope = Object.freeze({ defaultSource: 'k8s' });

/** Where peer selectors get their namespace from: a CNP's namespace, or any (CCNP). */
export type Scope = { readonly kind: 'namespace'; readonly namespace: string } | { readonly kind: 'cluster' };

const AUTH_MODES = AUTH_TYPES.map((t) => t.mode);

/** Scopes a peer selector as Cilium does (§2.5) unless it names its namespace itself. */
export function scopePeer(sel: Selector, scope: Scope): Selector {
  if (mentionsNamespace(sel)) return sel;
  return scope.kind === 'namespace' ? inNamespace(sel, scope.namespace, false) : inAnyNamespace(sel);
}

/** Reads one element of `ingress`, `ingressDeny`, `egress` or `egressDeny`. */
export function readPeerRule(r: FieldReader, raw: RawObject, p: string, section: RuleSection, index: number, scope: Scope): PeerRule {
  const deny = section.endsWith('Deny');
  const egress = section.startsWith('egress');
  const dir = egress ? 'to' : 'from';
  const l3 = [`${dir}Endpoints`, `${dir}CIDR`, `${dir}CIDRSet`, `${dir}Entities`, ...(egress ? ['toServices', 'toFQDNs'] : [])];
  const unsupported = [`${dir}Requires`, `${dir}Groups`, `${dir}Nodes`];
  const allowed = [...l3, ...unsupported, 'toPorts', 'icmps', ...(deny ? [] : ['authentication'])];
  reportDenyOnly(r, raw, p, deny);
  r.knownKeys(Object.fromEntries(Object.entries(raw).filter(([k]) => !(deny && (k === 'authentication' || k === 'toFQDNs')))), p, allowed);
  for (const f of unsupported.filter((f) => raw[f] !== undefined)) reportUnsupported(r, join(p, f), f, raw[f]);
  const present = l3.filter((f) => raw[f] !== undefined && raw[f] !== null);
  if (present.length > 1)
    r.report('INVALID_FIELD', p, `${present.join(' and ')} cannot be combined in one rule; write one rule per peer kind`);
  const peerField = present[0];
  const portRules = readPortRules(r, raw, p, deny, !egress);
  const peers =
    peerField === undefined
      ? portRules === undefined
        ? []
        : [WILDCARD_PEER]
      : readPeers(r, raw[peerField], join(p, peerField), peerField, scope);
  const authType = deny ? undefined : readAuth(r, raw['authentication'], join(p, 'authentication'));
  return {
    section,
    index,
    deny,
    peers,
    ...(peerField === undefined ? {} : { peerField }),
    ...(portRules === undefined ? {} : { portRules }),
    ...(authType === undefined ? {} : { authType }),
  };
}

function reportDenyOnly(r: FieldReader, raw: RawObject, p: string, deny: boolean): void {
  if (!deny) return;
  if (raw['authentication'] !== undefined)
    r.report('INVALID_FIELD', join(p, 'authentication'), 'deny rules cannot require authentication; put authentication on an allow rule');
  if (raw['toFQDNs'] !== undefined)
    r.report('INVALID_FIELD', join(p, 'toFQDNs'), 'deny rules cannot use toFQDNs; deny by toCIDRSet or toEntities instead');
}

function reportUnsupported(r: FieldReader, p: string, field: string, value: unknown): void {
  if (!field.endsWith('Requires')) {
    r.report('INVALID_FIELD', p, `${field} is not supported by cilium-sim; select the peers with endpoints, CIDRs or entities`);
    return;
  }
  const selectors = field.startsWith('to') ? 'toEndpoints' : 'fromEndpoints';
  // From Cilium 1.19 the CRD keeps the field with at most 0 items, so the API server refuses any.
  if (r.has('requires-removed')) {
    const items = Array.isArray(value) ? value.length : 1;
    r.report(
      'INVALID_FIELD',
      p,
      `Too many: ${items}: must have at most 0 items (${field} was removed in Cilium 1.19; add the required labels to the ${selectors} selectors)`,
    );
    return;
  }
  const deprecated = r.has('requires-deprecated') ? ' (deprecated since Cilium 1.17)' : '';
  r.report(
    'INVALID_FIELD',
    p,
    `${field}${deprecated} is not modelled by cilium-sim; add the required labels to the ${selectors} selectors, or use a deny rule`,
  );
}

/** toPorts and icmps together; undefined when the rule has neither (an L3-only rule). */
function readPortRules(r: FieldReader, raw: RawObject, p: string, deny: boolean, ingress: boolean): PortRule[] | undefined {
  const toPorts = readToPorts(r, raw['toPorts'], join(p, 'toPorts'), deny, ingress);
  const icmps = readIcmps(r, raw['icmps'], join(p, 'icmps'));
  if (toPorts !== undefined && toPorts.length > 0 && icmps !== undefined && icmps.length > 0) {
    r.report(
      'INVALID_FIELD',
      join(p, 'icmps'),
      'the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts.',
    );
  }
  // As Cilium's mergeIngress/mergeEgress: the rule is L3-only (every port) only when both lists
  // are empty or absent; otherwise each toPorts entry allows the ports it lists and each icmps
  // entry its fields, so an entry without any (`toPorts: [{}]`, `icmps: [{}]`) allows nothing.
  const icmpEntries = Array.isArray(raw['icmps']) ? raw['icmps'].length : 0;
  if ((toPorts?.length ?? 0) === 0 && icmpEntries === 0) return undefined;
  return [...(toPorts ?? []).filter((pr) => pr.ports.length > 0), ...(icmps === undefined || icmps.length === 0 ? [] : [{ ports: icmps }])];
}

function readPeers(r: FieldReader, value: unknown, p: string, field: string, scope: Scope): PeerSelector[] {
  if (field.endsWith('Endpoints'))
    return r.list(value, p, (raw, sp) => endpointsPeer(scopePeer(readLabelSelector(r, raw, sp, CILIUM_KEYS), scope))) ?? [];
  if (field.endsWith('CIDR')) return (r.strings(value, p) ?? []).flatMap((t, i) => cidrOrNothing(r, t, `${p}[${i}]`));
  if (field.endsWith('CIDRSet')) return r.list(value, p, (raw, sp) => readCidrSet(r, raw, sp)) ?? [];
  if (field.endsWith('Entities')) return (r.strings(value, p) ?? []).flatMap((t, i) => readEntity(r, t, `${p}[${i}]`));
  if (field === 'toFQDNs')
    return (
      r.list(value, p, (raw, sp) => {
        const sel = readDnsRule(r, raw, sp);
        return sel === undefined ? undefined : fqdnPeer(sel);
      }) ?? []
    );
  return r.list(value, p, (raw, sp) => readService(r, raw, sp, scope)) ?? [];
}

function readCidr(r: FieldReader, text: string, p: string): Cidr | undefined {
  const c = parseCidr(text.trim());
  if (c === undefined) r.report('INVALID_CIDR', p, `"${text}" is not a CIDR; expected a prefix such as 10.0.0.0/8 or 2001:db8::/32`);
  return c;
}

function cidrOrNothing(r: FieldReader, text: string, p: string): PeerSelector[] {
  const c = readCidr(r, text, p);
  return c === undefined ? [] : [cidrPeer(c, [])];
}

/** `{cidr, except}`; every except must lie inside the cidr, as Cilium's validation demands. */
export function readCidrSet(r: FieldReader, raw: RawObject, p: string, cidrField = 'cidr'): PeerSelector | undefined {
  r.knownKeys(raw, p, [cidrField, 'except', 'cidrGroupRef', 'cidrGroupSelector']);
  for (const f of ['cidrGroupRef', 'cidrGroupSelector'].filter((f) => raw[f] !== undefined)) {
    r.report('INVALID_FIELD', join(p, f), `${f} (CiliumCIDRGroup) is not supported by cilium-sim; list the prefixes in "cidr"`);
  }
  const text = r.string(raw[cidrField], join(p, cidrField));
  if (text === undefined) {
    r.report('INVALID_CIDR', join(p, cidrField), `a CIDR set needs "${cidrField}"`);
    return undefined;
  }
  const cidr = readCidr(r, text, join(p, cidrField));
  const except = (r.strings(raw['except'], join(p, 'except')) ?? []).flatMap((t, i) => {
    const e = readCidr(r, t, `${join(p, 'except')}[${i}]`);
    if (e !== undefined && cidr !== undefined && !cidrContains(cidr, e)) {
      r.report(
        'INVALID_CIDR',
        `${join(p, 'except')}[${i}]`,
        `except ${e.text} is not inside ${cidr.text}; an except must narrow its own CIDR`,
      );
      return [];
    }
    return e === undefined ? [] : [e];
  });
  return cidr === undefined ? undefined : cidrPeer(cidr, except);
}

function readEntity(r: FieldReader, text: string, p: string): PeerSelector[] {
  const entity = ENTITIES.find((e) => e === text);
  if (entity === undefined) {
    r.report('INVALID_FIELD', p, `unknown entity "${text}"; supported entities: ${ENTITIES.join(', ')}`);
    return [];
  }
  return [entityPeer(entity satisfies EntityName)];
}

function readService(r: FieldReader, raw: RawObject, p: string, scope: Scope): PeerSelector | undefined {
  r.knownKeys(raw, p, ['k8sService', 'k8sServiceSelector']);
  const defaultNs = scope.kind === 'namespace' ? scope.namespace : 'default';
  const svc = r.record(raw['k8sService'], join(p, 'k8sService'));
  const bySel = r.record(raw['k8sServiceSelector'], join(p, 'k8sServiceSelector'));
  if ((svc === undefined) === (bySel === undefined)) {
    r.report('INVALID_FIELD', p, 'set exactly one of k8sService or k8sServiceSelector');
    return undefined;
  }
  if (svc !== undefined) {
    const sp = join(p, 'k8sService');
    r.knownKeys(svc, sp, ['serviceName', 'namespace']);
    const name = r.string(svc['serviceName'], join(sp, 'serviceName'));
    const namespace = r.string(svc['namespace'], join(sp, 'namespace')) ?? defaultNs;
    if (name === undefined) return void r.report('INVALID_FIELD', join(sp, 'serviceName'), 'k8sService needs serviceName');
    return { kind: 'service', namespace, name, key: `svc:${namespace}/${name}` };
  }
  const sp = join(p, 'k8sServiceSelector');
  r.knownKeys(bySel ?? {}, sp, ['selector', 'namespace']);
  const namespace = r.string(bySel?.['namespace'], join(sp, 'namespace')) ?? defaultNs;
  const selRaw = r.record(bySel?.['selector'], join(sp, 'selector'));
  const selector = selRaw === undefined ? makeSelector([]) : readLabelSelector(r, selRaw, join(sp, 'selector'), KUBERNETES_KEYS);
  return { kind: 'service', namespace, selector, key: `svc:${namespace}/${selector.key}` };
}

function readAuth(r: FieldReader, value: unknown, p: string): PeerRule['authType'] {
  const raw = r.record(value, p);
  if (raw === undefined) return undefined;
  r.knownKeys(raw, p, ['mode']);
  const mode = r.string(raw['mode'], join(p, 'mode'));
  const known = AUTH_MODES.find((m) => m === mode);
  if (known === undefined) {
    r.report(
      'INVALID_FIELD',
      join(p, 'mode'),
      `authentication mode must be one of ${AUTH_MODES.join(', ')}, got ${mode === undefined ? 'nothing' : `"${mode}"`}`,
    );
    return undefined;
  }
  return AUTH_TYPE[known];
}
