import { parseLabel, splitSource, type Label } from '../../identity/labels.ts';
import { filterError } from './flowFilter.ts';

type Operator = 'exists' | 'notExists' | 'in' | 'notIn';

/** One requirement of a selector: `app=web` is `in [web]`, `!app` is `notExists`. */
export interface LabelRequirement {
  /** `any` unless written with a source prefix such as `k8s:` or `reserved:`. */
  readonly source: string;
  readonly key: string;
  readonly op: Operator;
  readonly values: readonly string[];
}

/** A Kubernetes label selector extended with Cilium's source prefixes; requirements are ANDed. */
export type LabelSelector = readonly LabelRequirement[];

/** Splits on commas outside `( … )`, so `env in (a,b),app` is two requirements. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

const KEY = '([a-zA-Z0-9][-a-zA-Z0-9_./:]*)';
const FORMS: readonly [RegExp, (m: RegExpExecArray) => [string, Operator, string[]]][] = [
  [new RegExp(`^!\\s*${KEY}$`), (m) => [m[1]!, 'notExists', []]],
  [new RegExp(`^${KEY}\\s*!=\\s*(\\S*)$`), (m) => [m[1]!, 'notIn', [m[2]!]]],
  [new RegExp(`^${KEY}\\s*==?\\s*(\\S*)$`), (m) => [m[1]!, 'in', [m[2]!]]],
  [
    new RegExp(`^${KEY}\\s+(in|notin)\\s*\\(([^)]*)\\)$`),
    (m) => [m[1]!, m[2] === 'in' ? 'in' : 'notIn', m[3]!.split(',').map((v) => v.trim())],
  ],
  [new RegExp(`^${KEY}$`), (m) => [m[1]!, 'exists', []]],
];

/**
 * Parses `key=value`, `key==value`, `key!=value`, `key`, `!key`, `key in (a,b)`,
 * `key notin (a,b)`, comma-separated. A key may carry a Cilium source: `k8s:app=web`,
 * `reserved:world`; without one it matches a label of any source.
 *
 * @example parseLabelSelector('k8s:org=empire,!class', 'sourceLabel[0]')
 */
export function parseLabelSelector(text: string, path: string): LabelSelector {
  if (text.trim() === '') throw filterError(path, 'empty label selector: expected e.g. app=web or reserved:world');
  return splitTopLevel(text).map((part) => {
    for (const [re, toParts] of FORMS) {
      const m = re.exec(part);
      if (m === null) continue;
      const [sourceKey, op, values] = toParts(m);
      const { source, key } = splitSource(sourceKey, 'any');
      return { source, key, op, values };
    }
    throw filterError(
      path,
      `invalid label selector "${text}": cannot parse "${part}"; expected key=value, key!=value, key, !key or key in (a,b)`,
    );
  });
}

function find(labels: readonly Label[], req: LabelRequirement): Label | undefined {
  return labels.find((l) => l.key === req.key && (req.source === 'any' || l.source === req.source));
}

/** Whether a flow endpoint's labels (`k8s:app=web` strings) satisfy every requirement. */
export function selectorMatches(selector: LabelSelector, labelTexts: readonly string[]): boolean {
  const labels = labelTexts.map((t) => parseLabel(t, 'unspec'));
  return selector.every((req) => {
    const l = find(labels, req);
    if (req.op === 'exists') return l !== undefined;
    if (req.op === 'notExists') return l === undefined;
    if (req.op === 'in') return l !== undefined && req.values.includes(l.value);
    return l === undefined || !req.values.includes(l.value);
  });
}
