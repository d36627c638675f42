import type { PolicyRef } from './policyDecision.ts';
import { l7Kinds, normaliseL7 } from './l7Merge.ts';
import type { PeerSelector } from './peerSelector.ts';
import type { AuthType } from './authType.ts';
import { sectionDirection, type Direction } from './direction.ts';
import type { NamedPortMap, SubjectNamedPorts } from './namedPorts.ts';
import type { L7Rules, PeerRule, PolicyRule, PortSpec } from './types.ts';
import { PROTOCOL_NUMBERS } from './u8proto.ts';

/**
 * Cilium's L4Filter: everything the rules selecting one endpoint say about one
 * (direction, protocol, port range), across all policies. Resolution turns filters plus the
 * selector cache's selections into policy map entries.
 */
export interface Contribution {
  readonly peer: PeerSelector;
  readonly deny: boolean;
  /** Normalised: allow-all added for the L7 aspects other rules of this filter restrict. */
  readonly l7?: L7Rules;
  readonly authType?: AuthType;
  readonly ref: PolicyRef;
}

export interface L4Filter {
  readonly direction: Direction;
  /** 0 = any protocol (an L3-only rule). */
  readonly proto: number;
  readonly port: number;
  readonly endPort: number;
  /** ICMP types are exact even when 0, unlike port 0 which means every port. */
  readonly exact: boolean;
  readonly contributions: readonly Contribution[];
  /** The rules that name this port, so `cilium policy trace` can say which rule covers a packet. */
  readonly peerRules: readonly PeerRule[];
}

export interface RuleWithRevision {
  readonly rule: PolicyRule;
  readonly revision: number;
}

interface Draft {
  direction: Direction;
  proto: number;
  port: number;
  endPort: number;
  exact: boolean;
  raw: { peer: PeerSelector; deny: boolean; l7: L7Rules | undefined; authType: AuthType | undefined; ref: PolicyRef }[];
  peerRules: Set<PeerRule>;
}

/** Builds the filters of the rules selecting one endpoint. Pure; order of the result is stable. */
export function buildL4Filters(rules: readonly RuleWithRevision[], namedPorts: SubjectNamedPorts): L4Filter[] {
  const drafts = new Map<string, Draft>();
  for (const { rule, revision } of rules) {
    const ref: PolicyRef = { ...rule.source, revision };
    for (const pr of [...rule.ingress, ...rule.egress]) {
      const direction = sectionDirection(pr.section);
      const named = direction === 'INGRESS' ? namedPorts.ingress : namedPorts.egress;
      const targets =
        pr.portRules === undefined ? [{ spec: undefined, l7: undefined }] : pr.portRules.flatMap((p) => portTargets(p.ports, p.l7));
      for (const { spec, l7 } of targets) {
        for (const [proto, port, endPort, exact] of resolvePort(spec, named)) {
          const key = `${direction}/${proto}/${port}/${endPort}/${exact}`;
          let d = drafts.get(key);
          if (d === undefined) drafts.set(key, (d = { direction, proto, port, endPort, exact, raw: [], peerRules: new Set() }));
          d.peerRules.add(pr);
          for (const peer of pr.peers) d.raw.push({ peer, deny: pr.deny, l7, authType: pr.authType, ref });
        }
      }
    }
  }
  return [...drafts.values()].map(finish);
}

function portTargets(ports: readonly PortSpec[], l7: L7Rules | undefined): { spec: PortSpec | undefined; l7: L7Rules | undefined }[] {
  return ports.length === 0 ? [{ spec: undefined, l7 }] : ports.map((spec) => ({ spec, l7 }));
}

/** [proto, port, endPort, exact] for one port spec; a named port may resolve to none or several. */
function resolvePort(spec: PortSpec | undefined, named: NamedPortMap | undefined): [number, number, number, boolean][] {
  if (spec === undefined) return [[0, 0, 0, false]];
  const proto = PROTOCOL_NUMBERS[spec.protocol];
  const exact = spec.protocol === 'ICMP' || spec.protocol === 'ICMPv6';
  if (typeof spec.port === 'number') return [[proto, spec.port, spec.endPort ?? spec.port, exact]];
  return (named?.get(spec.port) ?? []).filter((n) => n.protocol === spec.protocol).map((n) => [proto, n.port, n.port, false]);
}

function finish(d: Draft): L4Filter {
  const kinds = l7Kinds(d.raw.filter((c) => !c.deny).map((c) => c.l7));
  const contributions = d.raw.map((c): Contribution => {
    const l7 = c.deny ? undefined : normaliseL7(c.l7, kinds);
    return {
      peer: c.peer,
      deny: c.deny,
      ref: c.ref,
      ...(l7 === undefined ? {} : { l7 }),
      ...(c.authType === undefined ? {} : { authType: c.authType }),
    };
  });
  const { direction, proto, port, endPort, exact } = d;
  return { direction, proto, port, endPort, exact, contributions, peerRules: [...d.peerRules] };
}
