import { isRecord } from '../../k8s/manifest.ts';
import type { LintRule } from '../lintRule.ts';
import { allRawRules, nonEmpty, portName, portNumber, rawPortRules, type RawPortRule } from '../rawPolicy.ts';
import { refusedSentence } from './refusal.ts';

/** Cilium's CRD and sanitizer limit on `toPorts[].ports`. */
const MAX_PORTS = 40;
const L7_KINDS = ['http', 'dns', 'kafka', 'l7proto'] as const;

/** The sanitizer's checks of `toPorts`: ports, L7 rule kinds, DNS placement, TLS server names. */
function portRules(ctx: Parameters<LintRule['check']>[0]): RawPortRule[] {
  return allRawRules(ctx.policies).flatMap(rawPortRules);
}

function l7Kinds(pr: RawPortRule): string[] {
  return L7_KINDS.filter((k) => pr.l7?.[k] !== undefined && pr.l7[k] !== null);
}

export const SANITIZE_PORT_RULES: readonly LintRule[] = [
  {
    code: 'too-many-ports',
    severity: 'error',
    title: 'At most 40 ports in one toPorts entry',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (pr.ports.length <= MAX_PORTS) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.ports`,
          cilium: `too many ports, the max is ${MAX_PORTS}`,
          message: `The API server refuses the object (the CRD allows at most ${MAX_PORTS} ports per entry), so kubectl apply fails.`,
          fix: 'Split the ports into several toPorts entries, or use port with endPort for a range.',
        };
      }
    },
  },
  {
    code: 'invalid-port',
    severity: 'error',
    title: 'Ports are numbers 0..65535 or port names',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        for (const p of pr.ports) {
          const n = portNumber(p.port);
          const ok =
            p.port === undefined ||
            (n !== undefined ? n <= 65535 : portName(p.port) !== undefined && /^[a-z0-9-]{1,15}$/i.test(String(p.port)));
          if (ok) continue;
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.port`,
            cilium: ctx.said(`Unable to parse port: ${JSON.stringify(p.port)}`),
            message: refusedSentence(ctx),
            fix: 'Give a port number from 0 to 65535, or a container port name of at most 15 letters, digits and "-".',
          };
        }
      }
    },
  },
  {
    code: 'l7-multiple-protocols',
    severity: 'error',
    title: 'One toPorts entry carries one kind of L7 rules',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        const kinds = l7Kinds(pr);
        if (kinds.length < 2) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.rules`,
          cilium: 'multiple L7 protocol rule types specified in single rule',
          message: 'The API server refuses the object (the CRD allows one kind of L7 rules per port since 1.16), so kubectl apply fails.',
          fix: `Put the ${kinds.join(' and ')} rules in separate toPorts entries, each on its own port.`,
        };
      }
    },
  },
  {
    code: 'dns-rules-on-ingress',
    severity: 'error',
    title: 'DNS rules belong on egress',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (pr.rule.egress || !nonEmpty(pr.l7?.['dns'])) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.rules.dns`,
          cilium: 'DNS rules are not allowed on ingress',
          message: refusedSentence(ctx),
          fix: "The DNS proxy sees a pod's own lookups: put the DNS rules on the client's egress rule to kube-dns, port 53.",
        };
      }
    },
  },
  {
    code: 'dns-rules-without-port',
    severity: 'error',
    title: 'DNS rules name port 53',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (!nonEmpty(pr.l7?.['dns']) || pr.ports.length > 0) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.ports`,
          cilium: ctx.said('Port 53 must be specified for DNS rules'),
          message: refusedSentence(ctx),
          fix: 'Add ports: [{ port: "53", protocol: ANY }] to the entry with the DNS rules.',
        };
      }
    },
  },
  {
    code: 'dns-port-range',
    severity: 'error',
    title: 'DNS rules take no port range',
    gate: [{ behaviour: 'dns-rules-no-port-ranges', inForce: true }],
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (!nonEmpty(pr.l7?.['dns'])) continue;
        for (const p of pr.ports.filter((x) => x.endPort !== undefined && x.endPort !== null && x.endPort !== 0)) {
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.endPort`,
            cilium: 'DNS rules do not support port ranges',
            message: refusedSentence(ctx),
            fix: 'Remove endPort: DNS rules apply to port 53.',
          };
        }
      }
    },
  },
  {
    code: 'l7-port-zero',
    severity: 'error',
    title: 'L7 rules need a port',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (l7Kinds(pr).length === 0 || nonEmpty(pr.l7?.['dns'])) continue;
        for (const p of pr.ports.filter((x) => portNumber(x.port ?? 0) === 0)) {
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.port`,
            cilium: 'L7 rules can not be used when a port is 0',
            message: refusedSentence(ctx),
            fix: 'Name the port the HTTP server listens on; the proxy redirects one port at a time.',
          };
        }
      }
    },
  },
  {
    code: 'server-names-with-l7',
    severity: 'error',
    title: 'serverNames with HTTP rules need terminatingTLS',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        if (!nonEmpty(pr.raw['serverNames']) || l7Kinds(pr).length === 0 || isRecord(pr.raw['terminatingTLS'])) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.serverNames`,
          cilium: 'ServerNames are not allowed with L7 rules without TLS termination',
          message: refusedSentence(ctx),
          fix: 'Either keep serverNames alone (SNI filtering), or add terminatingTLS so the proxy can read the HTTP inside.',
        };
      }
    },
  },
  {
    code: 'empty-server-name',
    severity: 'error',
    title: 'serverNames entries are not empty',
    *check(ctx) {
      for (const pr of portRules(ctx)) {
        const names = Array.isArray(pr.raw['serverNames']) ? pr.raw['serverNames'] : [];
        for (const [i, n] of names.entries()) {
          if (typeof n === 'string' && n !== '') continue;
          yield {
            policy: pr.rule.spec.policy,
            path: `${pr.path}.serverNames[${i}]`,
            cilium: ctx.said('Empty server name is not allowed'),
            message: refusedSentence(ctx),
            fix: 'Remove the empty entry, or give the TLS server name (SNI) to allow.',
          };
        }
      }
    },
  },
  {
    code: 'icmps-with-ports',
    severity: 'error',
    title: 'icmps and toPorts go in separate rules',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        if (!nonEmpty(rule.raw['icmps']) || !nonEmpty(rule.raw['toPorts'])) continue;
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.icmps`,
          cilium: ctx.said('The ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts.'),
          message: refusedSentence(ctx),
          fix: 'Move icmps into a rule of its own with the same peers.',
        };
      }
    },
  },
];
