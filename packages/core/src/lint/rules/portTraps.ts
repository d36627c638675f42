import { isRecord } from '../../k8s/manifest.ts';
import type { LintRule } from '../lintRule.ts';
import { allRawRules, nonEmpty, portName, rawPortRules } from '../rawPolicy.ts';
import { refusedSentence } from './refusal.ts';

/**
 * Traps in `toPorts`: ranges from named ports, HTTP rules off TCP, empty HTTP rules with TLS,
 * entries that list no port.
 */
export const PORT_TRAP_RULES: readonly LintRule[] = [
  {
    code: 'endport-named-port',
    severity: 'warning',
    title: 'endPort with a named port',
    *check(ctx) {
      for (const pr of allRawRules(ctx.policies).flatMap(rawPortRules)) {
        for (const p of pr.ports) {
          const name = portName(p.port);
          if (name === undefined || p.endPort === undefined || p.endPort === null) continue;
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.endPort`,
            message: `Cilium resolves the named port "${name}" to each pod's own port number and opens the range from that number up to ${String(p.endPort)}, so the range differs from pod to pod (and is a single port where the number is above endPort).`,
            fix: 'Give the range with port numbers (port and endPort), or list the named port alone.',
          };
        }
      }
      for (const policy of ctx.policies.filter((p) => p.kind === 'NetworkPolicy')) {
        const spec = isRecord(policy.raw['spec']) ? policy.raw['spec'] : {};
        for (const section of ['ingress', 'egress']) {
          const list = Array.isArray(spec[section]) ? spec[section] : [];
          for (const [i, rule] of list.entries()) {
            const ports = isRecord(rule) && Array.isArray(rule['ports']) ? rule['ports'] : [];
            for (const [j, port] of ports.entries()) {
              if (!isRecord(port) || portName(port['port']) === undefined || port['endPort'] === undefined) continue;
              yield {
                policy,
                path: `spec.${section}[${i}].ports[${j}].endPort`,
                severity: 'error',
                cilium: `spec.${section}[${i}].ports[${j}].endPort: Invalid value: ${String(port['endPort'])}: may not be specified when port is non-numeric`,
                message: 'The API server refuses a NetworkPolicy whose port range starts at a named port, so kubectl apply fails.',
                fix: 'Give the range with port numbers, or list the named port alone.',
              };
            }
          }
        }
      }
    },
  },
  {
    code: 'l7-non-tcp',
    severity: 'error',
    title: 'HTTP rules on a port whose protocol is not TCP (ANY or UDP)',
    *check(ctx) {
      for (const pr of allRawRules(ctx.policies).flatMap(rawPortRules)) {
        if (!nonEmpty(pr.l7?.['http'])) continue;
        for (const p of pr.ports.filter((x) => x.protocol !== 'TCP')) {
          const implicit = p.protocol === 'ANY' ? ' (a port without a protocol is ANY)' : '';
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.protocol`,
            cilium: `L7 rules can only apply to TCP (not ${p.protocol}) except for DNS rules`,
            message: `HTTP rules need a TCP port${implicit}. ${refusedSentence(ctx)}`,
            fix: 'Set protocol: TCP on every port of the entry with HTTP rules; put other protocols in a toPorts entry of their own.',
          };
        }
      }
    },
  },
  {
    code: 'empty-http-with-tls',
    severity: 'warning',
    title: '`http: []` with terminatingTLS or originatingTLS',
    *check(ctx) {
      for (const pr of allRawRules(ctx.policies).flatMap(rawPortRules)) {
        const http = pr.l7?.['http'];
        if (!Array.isArray(http) || http.length > 0) continue;
        const tls = ['terminatingTLS', 'originatingTLS'].filter((f) => isRecord(pr.raw[f]));
        if (tls.length === 0) continue;
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.rules.http`,
          message: `An empty http list is no HTTP rule at all: the proxy handles ${tls.join(' and ')} on the port but parses no HTTP inside it, so every request passes unfiltered and Hubble records no HTTP flows for it.`,
          fix: 'List the requests to allow, or write http: [{}] to allow every request while the proxy parses (and Hubble shows) the HTTP inside TLS.',
        };
      }
    },
  },
  {
    code: 'entry-without-ports',
    severity: 'warning',
    title: 'A toPorts entry without ports, or an icmps entry without fields',
    *check(ctx) {
      for (const rule of allRawRules(ctx.policies)) {
        const verb = rule.deny ? 'denies' : 'allows';
        // DNS rules without a port are refused outright (dns-rules-without-port).
        const toPorts = rawPortRules(rule).filter((pr) => pr.ports.length === 0 && !nonEmpty(pr.l7?.['dns']));
        const icmps = (Array.isArray(rule.raw['icmps']) ? rule.raw['icmps'] : []).flatMap((raw, i) =>
          isRecord(raw) && nonEmpty(raw['fields']) ? [] : [{ path: `${rule.path}.icmps[${i}]` }],
        );
        for (const entry of [...toPorts, ...icmps]) {
          yield {
            policy: rule.spec.policy,
            path: entry.path,
            message: `Cilium takes from each entry the ports it lists, so this entry ${verb} nothing; and because the rule has toPorts or icmps entries, it is not an L3-only rule either: its peers get no port through it.`,
            fix: 'List the ports (port "0" with a protocol stands for every port of that protocol), or remove the empty entry; a rule without toPorts and icmps covers every port of its peers.',
          };
        }
      }
    },
  },
];
