import type { LintHit, LintRule } from '../lintRule.ts';
import { allRawRules, nonEmpty, portNumber, rawPortRules, rawRules, rawSpecs, type RawRule } from '../rawPolicy.ts';
import { refusedSentence } from './refusal.ts';

/** Traps in a rule's peers: toServices with toPorts, entities that admit more than meant. */
export const PEER_TRAP_RULES: readonly LintRule[] = [
  {
    code: 'to-services-with-ports',
    severity: 'error',
    title: 'toServices combined with toPorts (refused before 1.17)',
    gate: [{ behaviour: 'to-services-with-ports', inForce: false }],
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        if (!nonEmpty(rule.raw['toServices']) || !nonEmpty(rule.raw['toPorts'])) continue;
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.toPorts`,
          cilium: ctx.said('Combining ToServices and ToPorts is not supported yet'),
          message: `${refusedSentence(ctx)} Before Cilium 1.17 toServices also selects only Services without a pod selector.`,
          fix: "Select the Service's pods with toEndpoints and keep toPorts there, or upgrade to Cilium 1.17, which accepts toServices with toPorts.",
        };
      }
    },
  },
  {
    code: 'entities-widen-ports',
    severity: 'warning',
    title: 'toEntities/fromEntities with toPorts admit more than meant',
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        const rules = rawRules(spec);
        for (const rule of rules) yield* widening(rule, rules);
      }
    },
  },
];

const WIDE = ['all', 'world', 'cluster', 'cluster-mesh'];
const NARROW_WORLD = ['toFQDNs', 'toCIDR', 'toCIDRSet', 'fromCIDR', 'fromCIDRSet'];

function entitiesOf(rule: RawRule): string[] {
  const list = rule.raw[rule.egress ? 'toEntities' : 'fromEntities'];
  return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string' && WIDE.includes(e)) : [];
}

/** `TCP/443` for each port of the rule's toPorts; `*` for a port left out. */
function portsOf(rule: RawRule): Set<string> {
  const out = new Set<string>();
  for (const pr of rawPortRules(rule)) for (const p of pr.ports) out.add(`${p.protocol}/${portNumber(p.port) ?? String(p.port ?? 0)}`);
  return out;
}

function sharedPorts(a: Set<string>, b: Set<string>): string[] {
  const protoMatch = (x: string, y: string): boolean => {
    const [px, nx] = x.split('/');
    const [py, ny] = y.split('/');
    return nx === ny && (px === py || px === 'ANY' || py === 'ANY');
  };
  return [...a].filter((x) => [...b].some((y) => protoMatch(x, y)));
}

function hasL7(rule: RawRule): boolean {
  return rawPortRules(rule).some((pr) => pr.l7 !== undefined && (nonEmpty(pr.l7['http']) || nonEmpty(pr.l7['dns'])));
}

function widening(rule: RawRule, siblings: readonly RawRule[]): LintHit[] {
  const entities = entitiesOf(rule);
  if (entities.length === 0 || !nonEmpty(rule.raw['toPorts']) || rule.deny) return [];
  const field = `${rule.path}.${rule.egress ? 'toEntities' : 'fromEntities'}`;
  const ports = portsOf(rule);
  const out: LintHit[] = [];
  const hit = (message: string, fix: string): void => void out.push({ policy: rule.spec.policy, path: field, message, fix });
  for (const other of siblings) {
    if (other === rule || other.egress !== rule.egress || other.deny) continue;
    const shared = sharedPorts(ports, portsOf(other));
    if (shared.length === 0) continue;
    const narrow = NARROW_WORLD.find((f) => other.raw[f] !== undefined);
    const worldWide = entities.some((e) => e === 'all' || e === 'world');
    if (narrow !== undefined && worldWide) {
      hit(
        `entity ${entities.join(', ')} admits every outside address on ${shared.join(', ')}, so the ${narrow} rule ${other.path} restricts nothing there: any destination on those ports is allowed.`,
        `Drop ${entities.join(', ')} from this rule, or move the narrow rule to ports the entity rule does not open.`,
      );
    } else if (hasL7(other) && !hasL7(rule)) {
      hit(
        `This L3/L4 allow of entity ${entities.join(', ')} on ${shared.join(', ')} also covers the peers of ${other.path}, whose L7 rules then get an allow-all rule merged in (an L3/L4 allow for the same peer and port wildcards L7): their HTTP/DNS restrictions stop applying.`,
        'Give this rule the same L7 rules, or exclude those peers from it (name the peers instead of an entity).',
      );
    }
  }
  const cluster = entities.filter((e) => e === 'all' || e === 'cluster' || e === 'cluster-mesh');
  if (cluster.length > 0 && out.length === 0) {
    hit(
      `entity ${cluster.join(', ')} admits on ${[...ports].join(', ')} every pod of every namespace${cluster.includes('all') ? ', every outside address' : ''} and the nodes themselves (host, remote-node), kube-apiserver, health and ingress, not only the pods of this namespace.`,
      `Name the peers with ${rule.egress ? 'toEndpoints' : 'fromEndpoints'} (with a namespace selector for other namespaces), or entity host/remote-node for the nodes.`,
    );
  }
  return out;
}
