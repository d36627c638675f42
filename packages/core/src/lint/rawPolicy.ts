import { isRecord } from '../k8s/manifest.ts';
import { join, type RawObject } from '../k8s/fieldReader.ts';
import type { RuleSection } from '../policy/types.ts';
import type { LintPolicy } from './lintContext.ts';

/**
 * The policy objects as written, walked with their field paths: the sanitizer checks and the
 * traps read what the user wrote (a rule the simulator's own parser refuses is still linted),
 * so they walk the raw YAML rather than the parsed rules.
 */
export interface RawSpec {
  readonly policy: LintPolicy;
  /** `spec` or `specs[1]`. */
  readonly path: string;
  readonly raw: RawObject;
}

export interface RawRule {
  readonly spec: RawSpec;
  readonly section: RuleSection;
  readonly index: number;
  /** `spec.egress[0]`. */
  readonly path: string;
  readonly raw: RawObject;
  readonly egress: boolean;
  readonly deny: boolean;
}

export interface RawPortRule {
  readonly rule: RawRule;
  /** `spec.egress[0].toPorts[1]`. */
  readonly path: string;
  readonly raw: RawObject;
  readonly ports: readonly RawPort[];
  /** `rules` as written, when it is a mapping. */
  readonly l7?: RawObject;
}

export interface RawPort {
  readonly path: string;
  /** The port as written: a number, a numeric string, a name, or absent. */
  readonly port: unknown;
  readonly endPort: unknown;
  /** Upper-cased; `ANY` when absent or empty, as Cilium reads it. */
  readonly protocol: string;
}

export const SECTIONS: readonly RuleSection[] = ['ingress', 'ingressDeny', 'egress', 'egressDeny'];

/** The `spec` and every entry of `specs` of a CNP or CCNP (a NetworkPolicy has none). */
export function rawSpecs(policy: LintPolicy): RawSpec[] {
  if (policy.kind === 'NetworkPolicy') return [];
  const out: RawSpec[] = [];
  if (isRecord(policy.raw['spec'])) out.push({ policy, path: 'spec', raw: policy.raw['spec'] });
  const specs = policy.raw['specs'];
  if (Array.isArray(specs)) for (const [i, s] of specs.entries()) if (isRecord(s)) out.push({ policy, path: `specs[${i}]`, raw: s });
  return out;
}

export function rawRules(spec: RawSpec): RawRule[] {
  return SECTIONS.flatMap((section) => {
    const list = spec.raw[section];
    if (!Array.isArray(list)) return [];
    return list.flatMap((raw, index) =>
      isRecord(raw)
        ? [
            {
              spec,
              section,
              index,
              path: `${join(spec.path, section)}[${index}]`,
              raw,
              egress: section.startsWith('egress'),
              deny: section.endsWith('Deny'),
            },
          ]
        : [],
    );
  });
}

export function rawPortRules(rule: RawRule): RawPortRule[] {
  const list = rule.raw['toPorts'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw, i) => {
    if (!isRecord(raw)) return [];
    const path = `${rule.path}.toPorts[${i}]`;
    const ports = Array.isArray(raw['ports'])
      ? raw['ports'].flatMap((p, j) =>
          isRecord(p)
            ? [
                {
                  path: `${path}.ports[${j}]`,
                  port: p['port'],
                  endPort: p['endPort'],
                  protocol: typeof p['protocol'] === 'string' && p['protocol'] !== '' ? p['protocol'].toUpperCase() : 'ANY',
                },
              ]
            : [],
        )
      : [];
    return [{ rule, path, raw, ports, ...(isRecord(raw['rules']) ? { l7: raw['rules'] } : {}) }];
  });
}

/** Every rule of every spec of every CNP/CCNP. */
export function allRawRules(policies: readonly LintPolicy[]): RawRule[] {
  return policies.flatMap((p) => rawSpecs(p).flatMap(rawRules));
}

/** True when `value` is a non-empty list. */
export function nonEmpty(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

/** A port as a number (`80`, `"80"`), else undefined (a name, absent, malformed). */
export function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A named port (`http`), else undefined. */
export function portName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && !/^\d+$/.test(value) ? value : undefined;
}
