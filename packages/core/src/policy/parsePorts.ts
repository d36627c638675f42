import { fqdnNameProblem, fqdnPatternProblem } from './fqdn.ts';
import { join, type FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import { readHttpRule, readTls } from './parseL7.ts';
import type { DnsRule, L7Rules, PolicyProtocol, PortRule, PortSpec } from './types.ts';

/** Cilium's CRD limit on `toPorts[].ports`. */
export const MAX_PORTS = 40;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
const NAMED_PORT_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Reads `toPorts`; `deny` rules may only carry `ports` (§2.2). */
export function readToPorts(r: FieldReader, value: unknown, path: string, deny: boolean, ingress = false): PortRule[] | undefined {
  return r.list(value, path, (raw, p) => readPortRule(r, raw, p, deny, ingress));
}

function readPortRule(r: FieldReader, raw: RawObject, p: string, deny: boolean, ingress: boolean): PortRule {
  const l7Fields = ['rules', 'serverNames', 'terminatingTLS', 'originatingTLS', 'listener'];
  r.knownKeys(raw, p, ['ports', ...l7Fields]);
  const ports = readPorts(r, raw['ports'], join(p, 'ports'));
  if (deny) {
    for (const f of l7Fields.filter((f) => raw[f] !== undefined)) {
      r.report('INVALID_FIELD', join(p, f), `deny rules cannot carry L7 rules (${f}); deny at L3/L4 only, or use an allow rule with ${f}`);
    }
    return { ports };
  }
  const l7 = readL7(r, raw, p);
  reportL7PortProblems(r, raw, p, ingress);
  return l7 === undefined ? { ports } : { ports, l7 };
}

/**
 * Cilium's PortRule.Sanitize: HTTP rules need TCP ports (a protocol left out means ANY) that are
 * not 0, and the DNS proxy only sees egress (pkg/policy/api/rule_validation.go).
 */
function reportL7PortProblems(r: FieldReader, raw: RawObject, p: string, ingress: boolean): void {
  const rules = raw['rules'];
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) return;
  const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;
  const dns = nonEmpty((rules as RawObject)['dns']);
  if (dns && ingress)
    r.report(
      'INVALID_FIELD',
      join(join(p, 'rules'), 'dns'),
      'DNS rules are not allowed on ingress; put them on an egress rule to the DNS server',
    );
  if (dns || !nonEmpty((rules as RawObject)['http'])) return;
  const ports = Array.isArray(raw['ports']) ? (raw['ports'] as unknown[]) : [];
  ports.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return;
    const pp = `${join(p, 'ports')}[${i}]`;
    const { port, protocol } = item as RawObject;
    const proto = typeof protocol === 'string' && protocol !== '' ? protocol : 'ANY';
    if (proto !== 'TCP' && proto !== 'ANY' && PROTOCOLS.some((x) => x === proto)) {
      r.report(
        'INVALID_PORT',
        join(pp, 'protocol'),
        `L7 rules can only apply to TCP (not ${proto}) except for DNS rules; set protocol: TCP`,
      );
    }
    if (port === undefined || port === null || port === '' || port === 0 || port === '0') {
      r.report('INVALID_PORT', join(pp, 'port'), 'L7 rules can not be used when a port is 0; give the port the HTTP server listens on');
    }
  });
}

function readPorts(r: FieldReader, value: unknown, path: string): PortSpec[] {
  const items = r.array(value, path) ?? [];
  if (items.length > MAX_PORTS)
    r.report(
      'INVALID_PORT',
      path,
      `at most ${MAX_PORTS} ports per toPorts entry, got ${items.length}; split them into several toPorts entries`,
    );
  return (r.list(items, path, (raw, p) => readPortProtocol(r, raw, p, 'ANY')) ?? []).flat();
}

/** Reads `{port, endPort, protocol}`, expanding ANY into TCP, UDP and SCTP. */
export function readPortProtocol(r: FieldReader, raw: RawObject, p: string, defaultProtocol: 'ANY' | 'TCP'): PortSpec[] {
  r.knownKeys(raw, p, ['port', 'endPort', 'protocol']);
  const port = readPortValue(r, raw['port'], join(p, 'port'), defaultProtocol === 'TCP');
  const endPort = portRangesIn(r, raw, p, defaultProtocol === 'TCP') ? readEndPort(r, raw['endPort'], join(p, 'endPort'), port) : undefined;
  const protoText = r.string(raw['protocol'], join(p, 'protocol'));
  const given = protoText === undefined || protoText === '' ? defaultProtocol : protoText;
  const proto = PROTOCOLS.find((x) => x === given);
  if (proto === undefined || (defaultProtocol === 'TCP' && proto === 'ANY')) {
    r.report('INVALID_PORT', join(p, 'protocol'), unsupportedProtocol(protoText ?? '', defaultProtocol === 'TCP'));
    return [];
  }
  if (port === undefined) return [];
  const protocols: PolicyProtocol[] = proto === 'ANY' ? ['TCP', 'UDP', 'SCTP'] : [proto];
  return protocols.map((protocol) => (endPort === undefined ? { protocol, port } : { protocol, port, endPort }));
}

/**
 * The API server's enum refusal, case-sensitive as OpenAPI enums are: a CNP's CRD enum lists
 * TCP, UDP, SCTP and ANY in the CRD's order; a NetworkPolicy's core validation lists its values
 * sorted.
 */
function unsupportedProtocol(value: string, networkPolicy: boolean): string {
  const allowed = networkPolicy ? ['SCTP', 'TCP', 'UDP'] : PROTOCOLS;
  return `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((x) => `"${x}"`).join(', ')}`;
}

/**
 * Whether `endPort` is read. Before Cilium 1.16 (behaviour `port-ranges`) the CNP CRD has no
 * such field, and a Kubernetes NetworkPolicy's `endPort`, which the API server keeps, is not
 * enforced: the rule allows its `port` only.
 */
function portRangesIn(r: FieldReader, raw: RawObject, p: string, networkPolicy: boolean): boolean {
  if (raw['endPort'] === undefined || raw['endPort'] === null || r.has('port-ranges')) return true;
  if (!networkPolicy) r.requireField('port-ranges', join(p, 'endPort'), 'endPort');
  return false;
}

/**
 * A port as each API reads it. A NetworkPolicy's is an int-or-string: a number, or a port name,
 * which must hold a letter (the API server refuses "80" written as a string). A Cilium policy's
 * is a string Cilium reads as a name when it is one (any case, compared in lower case; `0x50` is
 * a name) and otherwise as Go's ParseUint with base 0, so a leading 0 makes it octal: "010" is
 * port 8 and "080" is refused.
 */
function readPortValue(r: FieldReader, value: unknown, path: string, networkPolicy = false): number | string | undefined {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined) {
    r.report('INVALID_PORT', path, `must be a port number or a port name, got ${typeof value}`);
    return undefined;
  }
  if (networkPolicy && typeof value === 'string' && /^\d+$/.test(text)) {
    r.report(
      'INVALID_PORT',
      path,
      `Invalid value: "${text}": must contain at least one letter (a-z); write the port number without quotes`,
    );
    return undefined;
  }
  if (networkPolicy && typeof value === 'number' && !(Number.isInteger(value) && value >= 1 && value <= 65535)) {
    r.report('INVALID_PORT', path, `Invalid value: ${text}: must be between 1 and 65535, inclusive`);
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    const octal = !networkPolicy && text.length > 1 && text.startsWith('0');
    if (octal && !/^[0-7]+$/.test(text)) {
      r.report('INVALID_PORT', path, `"${text}" is not a port number: Cilium reads a leading 0 as octal; write ${Number(text)}`);
      return undefined;
    }
    const n = octal ? Number.parseInt(text, 8) : Number(text);
    if (n <= 65535) return n;
    r.report('INVALID_PORT', path, `port ${text} is out of range; use 0..65535 (0 means every port)`);
    return undefined;
  }
  const name = networkPolicy ? text : text.toLowerCase();
  if (name.length <= 15 && NAMED_PORT_RE.test(name) && /[a-z]/.test(name) && !name.includes('--')) return name;
  r.report(
    'INVALID_PORT',
    path,
    `"${text}" is neither a port number (0..65535) nor a port name (at most 15 lowercase letters, digits and '-', with a letter)`,
  );
  return undefined;
}

function readEndPort(r: FieldReader, value: unknown, path: string, port: number | string | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    r.report('INVALID_PORT', path, `endPort must be an integer in 0..65535, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (typeof port === 'string') {
    r.report('INVALID_PORT', path, `endPort cannot be combined with the named port "${port}"; use a port number`);
    return undefined;
  }
  if (port === 0) {
    r.report('INVALID_PORT', path, 'endPort needs a start port; set "port"');
    return undefined;
  }
  if (port !== undefined && value < port) {
    r.report('INVALID_PORT', path, `endPort ${value} is below port ${port}; a range runs from port up to endPort`);
    return undefined;
  }
  return port === value ? undefined : value;
}

function readL7(r: FieldReader, raw: RawObject, p: string): L7Rules | undefined {
  const l7: { -readonly [K in keyof L7Rules]: L7Rules[K] } = {};
  const rules = r.record(raw['rules'], join(p, 'rules'));
  if (rules !== undefined) readL7Rules(r, rules, join(p, 'rules'), l7);
  const names = r.strings(raw['serverNames'], join(p, 'serverNames'));
  names?.forEach((n, i) => {
    const problem = fqdnPatternProblem(n);
    if (problem !== undefined) r.report('INVALID_FIELD', `${join(p, 'serverNames')}[${i}]`, problem);
  });
  if (names !== undefined && names.length > 0) l7.serverNames = names;
  const term = readTls(r, raw['terminatingTLS'], join(p, 'terminatingTLS'));
  if (term !== undefined) l7.terminatingTLS = term;
  const orig = readTls(r, raw['originatingTLS'], join(p, 'originatingTLS'));
  if (orig !== undefined) l7.originatingTLS = orig;
  const listener = readListener(r, raw['listener'], join(p, 'listener'));
  if (listener !== undefined) l7.listener = listener;
  return Object.keys(l7).length === 0 ? undefined : l7;
}

function readL7Rules(r: FieldReader, rules: RawObject, p: string, l7: { http?: L7Rules['http']; dns?: L7Rules['dns'] }): void {
  const unsupported = ['kafka', 'l7proto', 'l7'].filter((k) => rules[k] !== undefined);
  for (const k of unsupported) reportUnmodelledL7(r, join(p, k), k);
  r.knownKeys(Object.fromEntries(Object.entries(rules).filter(([k]) => !unsupported.includes(k))), p, ['http', 'dns']);
  if (rules['http'] !== undefined && rules['dns'] !== undefined)
    r.report('INVALID_FIELD', p, 'set either "http" or "dns" rules on one port, not both');
  // An empty list restricts nothing: Cilium picks the HTTP or DNS parser only for a non-empty
  // one (pkg/policy/l4.go, `len(pr.Rules.HTTP) > 0`), so `http: []` is a plain L4 allow, not
  // a redirect that denies every request.
  const http = r.list(rules['http'], join(p, 'http'), (raw, hp) => readHttpRule(r, raw, hp));
  if (http !== undefined && http.length > 0) l7.http = http;
  const dns = r.list(rules['dns'], join(p, 'dns'), (raw, dp) => readDnsRule(r, raw, dp));
  if (dns !== undefined && dns.length > 0) l7.dns = dns;
}

/**
 * Kafka and the generic `l7proto`/`l7` rules: removed from the CRDs in Cilium 1.20, so the API
 * server refuses them as unknown fields; before, Cilium has them and the simulator does not
 * model them.
 */
function reportUnmodelledL7(r: FieldReader, path: string, field: string): void {
  if (r.has('kafka-removed')) {
    r.report(
      'UNKNOWN_FIELD',
      path,
      `unknown field "${field}": Cilium ${r.version.release} removed Kafka and generic L7 rules; use http or dns rules`,
    );
  } else {
    r.report('INVALID_FIELD', path, `L7 rules "${field}" are not modelled by cilium-sim; use http or dns rules`);
  }
}

/** A `rules.dns` entry or a `toFQDNs` entry: exactly one of matchName / matchPattern. */
export function readDnsRule(r: FieldReader, raw: RawObject, p: string): DnsRule | undefined {
  r.knownKeys(raw, p, ['matchName', 'matchPattern']);
  const name = r.string(raw['matchName'], join(p, 'matchName'));
  const pattern = r.string(raw['matchPattern'], join(p, 'matchPattern'));
  if ((name === undefined) === (pattern === undefined)) {
    r.report('INVALID_FIELD', p, 'set exactly one of matchName or matchPattern');
    return undefined;
  }
  const problem = name !== undefined ? fqdnNameProblem(name) : fqdnPatternProblem(pattern ?? '');
  if (problem !== undefined) {
    r.report('INVALID_FIELD', join(p, name !== undefined ? 'matchName' : 'matchPattern'), problem);
    return undefined;
  }
  return name !== undefined ? { matchName: name } : { matchPattern: pattern ?? '' };
}

function readListener(r: FieldReader, value: unknown, p: string): L7Rules['listener'] {
  const raw = r.record(value, p);
  if (raw === undefined) return undefined;
  r.knownKeys(raw, p, ['envoyConfig', 'name', 'priority']);
  const name = r.string(raw['name'], join(p, 'name'));
  const cfg = r.record(raw['envoyConfig'], join(p, 'envoyConfig'));
  const cfgName = cfg === undefined ? undefined : r.string(cfg['name'], join(p, 'envoyConfig.name'));
  const kind = cfg === undefined ? undefined : (r.string(cfg['kind'], join(p, 'envoyConfig.kind')) ?? 'CiliumEnvoyConfig');
  if (name === undefined || cfgName === undefined || kind === undefined) {
    r.report('INVALID_FIELD', p, 'a listener needs "name" and "envoyConfig.name"');
    return undefined;
  }
  const priority = typeof raw['priority'] === 'number' ? raw['priority'] : undefined;
  return { name, envoyConfig: { kind, name: cfgName }, ...(priority === undefined ? {} : { priority }) };
}
