import { isRecord } from '../../k8s/manifest.ts';
import { CLUSTER_KEY } from '../../identity/endpointLabels.ts';
import type { LintRule } from '../lintRule.ts';
import type { LintContext } from '../lintContext.ts';
import { allRawRules, nonEmpty, type RawPortRule, type RawRule, rawPortRules, rawSpecs } from '../rawPolicy.ts';
import { SANITIZE_PEER_RULES } from './sanitizePeers.ts';
import { SANITIZE_PORT_RULES } from './sanitizePorts.ts';
import { SANITIZE_SUBJECT_RULES } from './sanitizeSubject.ts';

/**
 * What changed between Cilium 1.14 and 1.20 for policy authors. These rules run only when the
 * caller names a version (`--cilium-version`), each in the versions its behaviour row says.
 */
const REQUIRES = ['fromRequires', 'toRequires'];
const KAFKA = ['kafka', 'l7proto', 'l7'];

export const VERSION_CHANGE_RULES: readonly LintRule[] = [
  {
    code: 'requires-deprecated',
    severity: 'warning',
    title: 'fromRequires/toRequires are deprecated (1.17, 1.18)',
    versionGated: true,
    gate: [
      { behaviour: 'requires-deprecated', inForce: true },
      { behaviour: 'requires-removed', inForce: false },
    ],
    *check(ctx) {
      for (const { rule, f } of requires(ctx))
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.${f}`,
          message: `${f} still works in this version but is deprecated since Cilium 1.17 and removed in 1.19, where the API server refuses the policy.`,
          fix: `Add the required labels to the ${f.startsWith('to') ? 'toEndpoints' : 'fromEndpoints'} selectors, or express the exclusion with a deny rule.`,
        };
    },
  },
  {
    code: 'requires-removed',
    severity: 'error',
    title: 'fromRequires/toRequires are refused (1.19+)',
    versionGated: true,
    gate: [{ behaviour: 'requires-removed', inForce: true }],
    *check(ctx) {
      for (const { rule, f } of requires(ctx))
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.${f}`,
          cilium: `${rule.path}.${f}: Too many: ${(rule.raw[f] as unknown[]).length}: must have at most 0 items`,
          message: `${f} was removed in Cilium 1.19: the CRD allows no items, so the API server refuses the policy and kubectl apply fails.`,
          fix: `Add the required labels to the ${f.startsWith('to') ? 'toEndpoints' : 'fromEndpoints'} selectors, or express the exclusion with a deny rule.`,
        };
    },
  },
  {
    code: 'kafka-deprecated',
    severity: 'warning',
    title: 'Kafka rules are deprecated (1.19)',
    versionGated: true,
    gate: [{ behaviour: 'kafka-deprecated', inForce: true }],
    *check(ctx) {
      for (const { pr, k } of kafka(ctx))
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.rules.${k}`,
          message: 'Kafka L7 rules still work in Cilium 1.19 but are deprecated; 1.20 removes them from the CRDs.',
          fix: 'Plan the move: enforce Kafka at L4 (port 9092 to the brokers) or with a service mesh before upgrading to 1.20.',
        };
    },
  },
  {
    code: 'kafka-removed',
    severity: 'error',
    title: 'Kafka rules are refused (1.20+)',
    versionGated: true,
    gate: [{ behaviour: 'kafka-removed', inForce: true }],
    *check(ctx) {
      for (const { pr, k } of kafka(ctx))
        yield {
          policy: pr.rule.spec.policy,
          path: `${pr.path}.rules.${k}`,
          cilium: `strict decoding error: unknown field "${pr.path}.rules.${k}"`,
          message: `Cilium 1.20 removed ${k} from the CRDs: kubectl's strict field validation refuses the policy.`,
          fix: "Enforce Kafka at L4 (the brokers' port) instead, and remove the kafka rules.",
        };
    },
  },
  {
    code: 'fqdn-double-star-one-level',
    severity: 'warning',
    title: '`**.` in a DNS pattern matches one level before 1.19',
    versionGated: true,
    gate: [{ behaviour: 'fqdn-double-star-multilevel', inForce: false }],
    *check(ctx) {
      for (const [path, pattern] of dnsPatterns(ctx)) {
        if (!pattern.startsWith('**.')) continue;
        yield {
          policy: path.policy,
          path: path.path,
          message: `Before Cilium 1.19 "${pattern}" matches one label only, like "*.${pattern.slice(3)}": deeper names such as a.b.${pattern.slice(3)} are not matched (from 1.19 on they are).`,
          fix: `List each depth you need ("*.${pattern.slice(3)}", "*.*.${pattern.slice(3)}"), or upgrade to 1.19.`,
        };
      }
    },
  },
  {
    code: 'fqdn-double-star-any-depth',
    severity: 'info',
    title: '`**.` in a DNS pattern matches any depth from 1.19',
    versionGated: true,
    gate: [{ behaviour: 'fqdn-double-star-multilevel', inForce: true }],
    *check(ctx) {
      for (const [path, pattern] of dnsPatterns(ctx)) {
        if (!pattern.startsWith('**.')) continue;
        yield {
          policy: path.policy,
          path: path.path,
          message: `From Cilium 1.19 "${pattern}" matches names of any depth under ${pattern.slice(3)} (before, one label only): the rule admits more names than it did before the upgrade.`,
          fix: `Use "*.${pattern.slice(3)}" if only one level is meant.`,
        };
      }
    },
  },
  {
    code: 'sni-wildcard-unsupported',
    severity: 'warning',
    title: 'Wildcards in serverNames before 1.18',
    versionGated: true,
    gate: [{ behaviour: 'sni-wildcards', inForce: false }],
    *check(ctx) {
      for (const pr of allRawRules(ctx.policies).flatMap(rawPortRules)) {
        const names = Array.isArray(pr.raw['serverNames']) ? pr.raw['serverNames'] : [];
        for (const [i, n] of names.entries())
          if (typeof n === 'string' && n.includes('*'))
            yield {
              policy: pr.rule.spec.policy,
              path: `${pr.path}.serverNames[${i}]`,
              message: `Before Cilium 1.18 serverNames are exact names: "${n}" matches no TLS server name, so every TLS connection on the port is dropped.`,
              fix: 'List the exact server names, or upgrade to 1.18 for "*." and "**." prefixes.',
            };
      }
    },
  },
  {
    code: 'policy-default-local-cluster',
    severity: 'info',
    title: 'Peers without a cluster label match the local cluster only (1.18 option, 1.19 default)',
    versionGated: true,
    gate: [{ behaviour: 'policy-default-local-cluster', inForce: true }],
    *check(ctx) {
      for (const policy of ctx.policies) {
        const peers = (policy.rules?.rules ?? []).flatMap((r) =>
          [...r.ingress, ...r.egress].flatMap((pr) =>
            pr.peers.flatMap((p, i) =>
              p.kind === 'endpoints' && !p.selector.requirements.some((q) => q.key === CLUSTER_KEY)
                ? [`${r.specPath}.${pr.section}[${pr.index}].${pr.peerField}[${i}]`]
                : [],
            ),
          ),
        );
        if (peers.length === 0) continue;
        const when = ctx.inForce('policy-default-local-cluster-on')
          ? 'By default from Cilium 1.19'
          : 'With policy-default-local-cluster set (default from 1.19)';
        yield {
          policy,
          path: peers[0]!,
          message: `${when}, endpoint peers that name no io.cilium.k8s.policy.cluster match pods of the local cluster only: in a ClusterMesh, pods of the other clusters that ${peers.length === 1 ? 'this peer' : `these ${peers.length} peers`} admitted before are dropped.`,
          fix: 'Where other clusters are meant, add io.cilium.k8s.policy.cluster (In the cluster names) to the peer selectors.',
        };
      }
    },
  },
  {
    code: 'mutual-auth-disabled-by-default',
    severity: 'warning',
    title: 'Mutual authentication is off by default (1.19+)',
    versionGated: true,
    gate: [{ behaviour: 'mesh-auth-default-off', inForce: true }],
    *check(ctx) {
      for (const rule of authenticated(ctx)) {
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.authentication.mode`,
          cilium: `mutual auth feature is disabled but an ${rule.egress ? 'egress' : 'ingress'} auth rule is defined in policy`,
          message:
            'From Cilium 1.19 mesh-auth-enabled defaults to false: unless it is turned on (Helm authentication.enabled=true), the operator marks this policy invalid.',
          fix: 'Enable mutual authentication in the Cilium install, or remove authentication.mode from the rule.',
        };
      }
    },
  },
  {
    code: 'mutual-auth-deprecated',
    severity: 'info',
    title: 'Mutual authentication is deprecated (1.20)',
    versionGated: true,
    gate: [{ behaviour: 'mutual-auth-deprecated', inForce: true }],
    *check(ctx) {
      for (const rule of authenticated(ctx)) {
        yield {
          policy: rule.spec.policy,
          path: `${rule.path}.authentication.mode`,
          message:
            "Cilium 1.20 deprecates its beta mutual authentication; a later release removes it, and with it this rule's authentication requirement.",
          fix: 'Plan a replacement (transparent encryption with ztunnel, or a service mesh with mTLS) before upgrading past 1.20.',
        };
      }
    },
  },
  {
    code: 'port-range-unsupported',
    severity: 'warning',
    title: 'endPort before 1.16',
    versionGated: true,
    gate: [{ behaviour: 'port-ranges', inForce: false }],
    *check(ctx) {
      for (const pr of allRawRules(ctx.policies).flatMap(rawPortRules))
        for (const p of pr.ports.filter((x) => x.endPort !== undefined && x.endPort !== null))
          yield {
            policy: pr.rule.spec.policy,
            path: `${p.path}.endPort`,
            message: `Before Cilium 1.16 endPort is not honoured: only port ${String(p.port)} is opened, not the range up to ${String(p.endPort)}.`,
            fix: 'List the ports one by one (at most 40 per toPorts entry), or upgrade to 1.16.',
          };
      for (const policy of ctx.policies.filter((p) => p.kind === 'NetworkPolicy')) {
        for (const r of policy.rules?.rules ?? [])
          for (const pr of [...r.ingress, ...r.egress])
            if ((pr.portRules ?? []).some((x) => x.ports.some((s) => s.endPort !== undefined)))
              yield {
                policy,
                path: `spec.${pr.section}[${pr.index}].ports`,
                message: 'Before Cilium 1.16 endPort is not honoured: only the first port of the range is opened.',
                fix: 'List the ports one by one, or upgrade to 1.16.',
              };
      }
    },
  },
  {
    code: 'enable-default-deny-unsupported',
    severity: 'error',
    title: 'enableDefaultDeny before 1.16',
    versionGated: true,
    gate: [{ behaviour: 'enable-default-deny-field', inForce: false }],
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        if (spec.raw['enableDefaultDeny'] === undefined) continue;
        yield {
          policy: spec.policy,
          path: `${spec.path}.enableDefaultDeny`,
          cilium: `strict decoding error: unknown field "${spec.path}.enableDefaultDeny"`,
          message:
            'enableDefaultDeny arrived in Cilium 1.16: before, the CRD has no such field, so kubectl apply fails (and without validation the field is dropped and the policy denies by default).',
          fix: 'Remove enableDefaultDeny, or upgrade to 1.16.',
        };
      }
    },
  },
  {
    code: 'specs-validity-masked',
    severity: 'warning',
    title: 'The operator reports only the last entry of specs (1.16, 1.17)',
    versionGated: true,
    gate: [
      { behaviour: 'operator-policy-validation', inForce: true },
      { behaviour: 'operator-validates-every-spec', inForce: false },
    ],
    *check(ctx) {
      for (const policy of ctx.policies) {
        const specs = Array.isArray(policy.raw['specs']) ? policy.raw['specs'].length : 0;
        if (specs < 2) continue;
        const sub = { ...ctx, policies: [policy] };
        const hidden = [...SANITIZE_SUBJECT_RULES, ...SANITIZE_PEER_RULES, ...SANITIZE_PORT_RULES]
          .flatMap((r) => ((r.gate ?? []).every((g) => ctx.inForce(g.behaviour) === g.inForce) ? [...r.check(sub)] : []))
          .filter((h) => h.cilium !== undefined && h.path.startsWith('specs[') && !h.path.startsWith(`specs[${specs - 1}]`));
        if (hidden.length === 0) continue;
        yield {
          policy,
          path: hidden[0]!.path,
          message: `In this version the operator writes only the last entry of specs into the Valid condition, so kubectl shows the policy as valid although ${hidden[0]!.path} is refused ("${hidden[0]!.cilium}") and the agents import none of it.`,
          fix: 'Fix the invalid entry; check every entry, not the Valid column (fixed in 1.18).',
        };
      }
    },
  },
];

/** Every DNS pattern (toFQDNs and rules.dns) with the policy and path it sits at. */
function dnsPatterns(ctx: LintContext): [{ policy: LintContext['policies'][number]; path: string }, string][] {
  const out: [{ policy: LintContext['policies'][number]; path: string }, string][] = [];
  for (const rule of allRawRules(ctx.policies)) {
    const fqdns = Array.isArray(rule.raw['toFQDNs']) ? rule.raw['toFQDNs'] : [];
    fqdns.forEach((f, i) => {
      if (isRecord(f) && typeof f['matchPattern'] === 'string')
        out.push([{ policy: rule.spec.policy, path: `${rule.path}.toFQDNs[${i}].matchPattern` }, f['matchPattern']]);
    });
    for (const pr of rawPortRules(rule)) {
      const dns = Array.isArray(pr.l7?.['dns']) ? (pr.l7['dns'] as unknown[]) : [];
      dns.forEach((d, i) => {
        if (isRecord(d) && typeof d['matchPattern'] === 'string')
          out.push([{ policy: rule.spec.policy, path: `${pr.path}.rules.dns[${i}].matchPattern` }, d['matchPattern']]);
      });
    }
  }
  return out;
}

/** The rules that require authentication. */
function authenticated(ctx: LintContext): RawRule[] {
  return allRawRules(ctx.policies).filter((rule) => {
    const auth = rule.raw['authentication'];
    return isRecord(auth) && auth['mode'] !== undefined && auth['mode'] !== 'disabled';
  });
}

/** Every fromRequires/toRequires with items. */
function requires(ctx: LintContext): { rule: RawRule; f: string }[] {
  return allRawRules(ctx.policies).flatMap((rule) => REQUIRES.filter((f) => nonEmpty(rule.raw[f])).map((f) => ({ rule, f })));
}

/** Every Kafka (or generic l7proto) rule. */
function kafka(ctx: LintContext): { pr: RawPortRule; k: string }[] {
  return allRawRules(ctx.policies)
    .flatMap(rawPortRules)
    .flatMap((pr) => KAFKA.filter((k) => pr.l7?.[k] !== undefined).map((k) => ({ pr, k })));
}
