import type { SimIssue } from '../errors.ts';
import type { LabelSelector, PodSpec, Toleration } from './builtinObjects.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import { cutText } from './quoteValue.ts';

/**
 * The fields the API server refuses to change on update, and the words it refuses them in (its
 * ValidateXUpdate functions and the CRDs' `self == oldSelf` rules). Each check returns the issues
 * of one update, none when the update may go on; admission throws them, so the stored object is
 * left as it was.
 */

/**
 * The object refused: its name in core's words and its reference, so that kubectl can say
 * `The Deployment "d" is invalid: ...` as it does for the API server's Invalid status.
 */
export interface Subject {
  readonly object: string;
  readonly ref: AdmissionRequest<unknown>['ref'];
}

/** `field is immutable`, as ValidateImmutableField words it. */
const IMMUTABLE = 'field is immutable';

/** apps/v1 selectors (Deployment, DaemonSet): `spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable`. */
export function selectorIssues({ object, ref }: Subject, selector: LabelSelector, old: LabelSelector): SimIssue[] {
  if (canonicalJson(selector) === canonicalJson(old)) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      ref,
      path: 'spec.selector',
      message: `Invalid value: ${cutText(goLabelSelector(selector))}: ${IMMUTABLE}`,
    },
  ];
}

/** The StatefulSet fields an update may change; the rest of its spec is fixed (ValidateStatefulSetUpdate). */
const STATEFULSET_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
  'revisionHistoryLimit',
];

export function statefulSetIssues(
  { object, ref }: Subject,
  spec: Readonly<Record<string, unknown>>,
  old: Readonly<Record<string, unknown>>,
): SimIssue[] {
  const fixed = (s: Readonly<Record<string, unknown>>) =>
    canonicalJson(Object.fromEntries(Object.entries(s).filter(([k]) => !STATEFULSET_MUTABLE.includes(k))));
  if (fixed(spec) === fixed(old)) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      ref,
      path: 'spec',
      message:
        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    },
  ];
}

/**
 * A pod's spec is fixed once created but for its containers' images, `activeDeadlineSeconds`,
 * added tolerations and `terminationGracePeriodSeconds` (ValidatePodUpdate, Kubernetes 1.29).
 */
export function podSpecIssues({ object, ref }: Subject, spec: PodSpec, old: PodSpec): SimIssue[] {
  if (canonicalJson(mungedPodSpec(spec, old)) === canonicalJson(old)) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      ref,
      path: 'spec',
      message:
        'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    },
  ];
}

/** The new spec with what an update may change taken from the old one, as ValidatePodUpdate compares them. */
function mungedPodSpec(spec: PodSpec, old: PodSpec): PodSpec {
  const images = (now: unknown, before: unknown) =>
    Array.isArray(now) && Array.isArray(before) && now.length === before.length
      ? now.map((c, i) => ({ ...(c as object), image: (before[i] as { image?: unknown }).image }))
      : now;
  const munged: Record<string, unknown> = { ...spec, containers: images(spec.containers, old.containers) };
  if (spec['initContainers'] !== undefined) munged['initContainers'] = images(spec['initContainers'], old['initContainers']);
  for (const key of ['activeDeadlineSeconds', 'terminationGracePeriodSeconds']) {
    if (old[key] === undefined) delete munged[key];
    else munged[key] = old[key];
  }
  if (addsTolerations(spec.tolerations ?? [], old.tolerations ?? [])) {
    if (old.tolerations === undefined) delete munged['tolerations'];
    else munged['tolerations'] = old.tolerations;
  }
  return munged as PodSpec;
}

function addsTolerations(now: readonly Toleration[], before: readonly Toleration[]): boolean {
  const keys = new Set(now.map(canonicalJson));
  return before.every((t) => keys.has(canonicalJson(t)));
}

/**
 * A Service's primary ClusterIP may not change (validateUpgradeDowngradeClusterIPs); the API server
 * has set `clusterIPs` from a changed `clusterIP` by then, and quotes that list.
 */
export function clusterIpIssues({ object, ref }: Subject, written: string, old: string): SimIssue[] {
  if (written === old) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      ref,
      path: 'spec.clusterIPs[0]',
      message: `Invalid value: []string{${JSON.stringify(written)}}: may not change once set`,
    },
  ];
}

/** A CRD field guarded by `self == oldSelf` with the message `Value is immutable` (Gateway API's). */
export function crdImmutableIssues({ object, ref }: Subject, path: string, value: unknown, old: unknown): SimIssue[] {
  if (canonicalJson(value ?? null) === canonicalJson(old ?? null)) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      ref,
      path,
      message: `Invalid value: "${typeof value === 'string' ? 'string' : 'object'}": Value is immutable`,
    },
  ];
}

/** A label selector as the API server's error prints it: Go's `%#v` of a `v1.LabelSelector`. */
export function goLabelSelector(sel: LabelSelector): string {
  const labels = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const matchLabels =
    sel.matchLabels === undefined
      ? 'map[string]string(nil)'
      : `map[string]string{${labels.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(', ')}}`;
  const exprs = sel.matchExpressions;
  const matchExpressions =
    exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${
                e.values === undefined ? '[]string(nil)' : `[]string{${e.values.map(goQuote).join(', ')}}`
              }}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${matchExpressions}}`;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}
