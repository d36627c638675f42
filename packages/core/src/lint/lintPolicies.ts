import { behaviourIn, CILIUM_MINORS, type CiliumMinor, DEFAULT_CILIUM_VERSION, parseCiliumVersion } from '../version/ciliumVersion.ts';
import { lintContext } from './lintContext.ts';
import type { LintFinding, LintRule, LintSeverity } from './lintRule.ts';
import { LINT_RULES } from './lintRules.ts';

export interface LintOptions {
  /**
   * The Cilium version to lint for (`1.14` to `1.20`, or a release such as `1.18.2`). Given, it
   * also runs the rules about what changed between versions; omitted, the rules judge as the
   * simulator's default version (1.16.0) and the version-change rules stay silent.
   */
  readonly ciliumVersion?: string;
}

export interface LintReport {
  /** The release linted for, `1.16.0`. */
  readonly ciliumVersion: string;
  /** How many policy objects were linted. */
  readonly policies: number;
  /** By document, then by the order of the rules. */
  readonly findings: readonly LintFinding[];
}

const RANK: Readonly<Record<LintSeverity, number>> = { error: 0, warning: 1, info: 2 };

/**
 * Lints the policy objects among `documents` (manifest objects as parsed from YAML; other kinds
 * are read for context: the workloads, namespaces and Services the selectors should meet). Pure;
 * throws a SimError for an unsupported version.
 *
 * @example lintPolicies(k8s.parseManifest(text).map((d) => d.value)).findings[0]?.code // 'fqdn-without-dns-proxy'
 */
export function lintPolicies(documents: readonly unknown[], opts: LintOptions = {}): LintReport {
  const version = parseCiliumVersion(opts.ciliumVersion ?? DEFAULT_CILIUM_VERSION, 'ciliumVersion');
  const ctx = lintContext(documents, version, opts.ciliumVersion !== undefined);
  const findings: LintFinding[] = [];
  for (const rule of LINT_RULES.filter((r) => applies(r, ctx))) {
    for (const hit of rule.check(ctx)) {
      findings.push({
        code: rule.code,
        severity: hit.severity ?? rule.severity,
        document: hit.policy.document,
        ref: hit.policy.ref,
        path: hit.path,
        ...(hit.cilium === undefined ? {} : { cilium: hit.cilium }),
        message: hit.message,
        fix: hit.fix,
      });
    }
  }
  const order = new Map(LINT_RULES.map((r, i) => [r.code, i]));
  findings.sort(
    (a, b) => a.document - b.document || (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0) || RANK[a.severity] - RANK[b.severity],
  );
  return { ciliumVersion: version.release, policies: ctx.policies.length + ctx.tierPolicies.length, findings };
}

function applies(rule: LintRule, ctx: ReturnType<typeof lintContext>): boolean {
  if (rule.versionGated === true && !ctx.versionGiven) return false;
  return (rule.gate ?? []).every((g) => ctx.inForce(g.behaviour) === g.inForce);
}

/** The Cilium minors a rule runs for (version-gated rules only when a version is named). */
export function lintRuleVersions(rule: LintRule): readonly CiliumMinor[] {
  return CILIUM_MINORS.filter((m) => (rule.gate ?? []).every((g) => behaviourIn(parseCiliumVersion(m), g.behaviour) === g.inForce));
}
