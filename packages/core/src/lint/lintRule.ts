import type { ErrorObjectRef } from '../errors.ts';
import type { VersionedBehaviourName } from '../version/ciliumVersion.ts';
import type { LintContext, LintPolicy } from './lintContext.ts';

/**
 * A lint rule is data (its code, severity, title, the Cilium versions it concerns) and one
 * function that looks at the policies and the workloads of the linted manifests. The rules live
 * in `lint/rules/`, one file per rule or per family, and `lintRules.ts` lists them.
 */
export type LintSeverity = 'error' | 'warning' | 'info';

/** One problem found in one policy object. */
export interface LintFinding {
  /** The rule's stable code, e.g. `fqdn-without-dns-proxy`. */
  readonly code: string;
  readonly severity: LintSeverity;
  /** Position of the object among the documents given to `lintPolicies` (0-based). */
  readonly document: number;
  readonly ref: ErrorObjectRef;
  /** The field, `spec.egress[0].toPorts[0]`; '' for the object as a whole. */
  readonly path: string;
  /** What Cilium itself says when it refuses the object (the operator's `Valid: False` message). */
  readonly cilium?: string;
  /** What happens in a cluster, in one or two sentences. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** What a rule's check reports; the runner adds the code, the severity and the object. */
export interface LintHit {
  readonly policy: LintPolicy;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly cilium?: string;
  /** Overrides the rule's severity for this hit (a trap that is an error only in some shapes). */
  readonly severity?: LintSeverity;
}

export interface LintRule {
  readonly code: string;
  readonly severity: LintSeverity;
  /** One line for `cilium-sim lint --rules` and the docs. */
  readonly title: string;
  /**
   * Runs only in the versions where each named behaviour is (inForce) or is not (!inForce) in
   * force. Judged against `--cilium-version`, or the simulator's default version without it.
   */
  readonly gate?: readonly { readonly behaviour: VersionedBehaviourName; readonly inForce: boolean }[];
  /** Runs only when the caller names a Cilium version: what changed between versions. */
  readonly versionGated?: true;
  check(ctx: LintContext): Iterable<LintHit>;
}
