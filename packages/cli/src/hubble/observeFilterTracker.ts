import type { hubble } from '@cilium-sim/core';

type FlowFilter = hubble.FlowFilter;

type Draft = Record<string, unknown[]>;
type Side = 'left' | 'right' | 'both';

/**
 * The filters built from one list of flags (the whitelist, or the `--not` blacklist), as
 * `hubble observe` builds them. A flag with an either-side meaning (`--pod`, `--ip`,
 * `--label`, `-n`) fills the source field of a left filter and the destination field of a
 * right filter; the request then holds both, OR'ed, so `--pod x` means "from x or to x".
 * Namespace flags are applied last, as `ns/` prefixes on the pod and service fields.
 */
export class FilterTracker {
  readonly changed: string[] = [];
  #left: Draft | undefined;
  #right: Draft | undefined;
  readonly #ns: string[] = [];
  readonly #srcNs: string[] = [];
  readonly #dstNs: string[] = [];

  /** Records that `flag` was used; true the first time. */
  touch(flag: string): boolean {
    if (this.changed.includes(flag)) return false;
    this.changed.push(flag);
    return true;
  }

  add(side: Side, field: keyof FlowFilter, value: unknown): void {
    if (side !== 'right') push((this.#left ??= {}), field, value);
    if (side !== 'left') push((this.#right ??= {}), field, value);
  }

  /** `-n`/`-A` (either side), `--from-namespace`, `--to-namespace`; '' means every namespace. */
  namespace(which: 'either' | 'from' | 'to', ns: string): void {
    (which === 'either' ? this.#ns : which === 'from' ? this.#srcNs : this.#dstNs).push(ns);
  }

  /** The FlowFilters this tracker stands for: none, one, or a left/right pair. */
  flowFilters(): FlowFilter[] {
    if (this.#left === undefined && this.#right === undefined && this.#ns.length + this.#srcNs.length + this.#dstNs.length === 0) return [];
    const left = structuredClone(this.#left ?? {});
    const right = structuredClone(this.#right ?? {});
    for (const ff of [left, right]) {
      if (this.#dstNs.length > 0) applyNamespaces(ff, 'destination', this.#dstNs);
      if (this.#srcNs.length > 0) applyNamespaces(ff, 'source', this.#srcNs);
    }
    if (this.#ns.length > 0) {
      applyNamespaces(left, 'source', this.#ns);
      applyNamespaces(right, 'destination', this.#ns);
    }
    return canonical(left) === canonical(right) ? [left as FlowFilter] : [left as FlowFilter, right as FlowFilter];
  }
}

function push(ff: Draft, field: string, value: unknown): void {
  (ff[field] ??= []).push(value);
}

function withNamespaces(values: unknown[] | undefined, namespaces: readonly string[]): unknown[] | undefined {
  if (values === undefined || values.length === 0) return values;
  return values.flatMap((v) => (String(v).includes('/') ? [v] : namespaces.map((ns) => `${ns}/${String(v)}`)));
}

function applyNamespaces(ff: Draft, side: 'source' | 'destination', namespaces: readonly string[]): void {
  const pod = `${side}Pod`;
  const svc = `${side}Service`;
  if ((ff[pod]?.length ?? 0) === 0 && (ff[svc]?.length ?? 0) === 0) ff[pod] = [''];
  const pods = withNamespaces(ff[pod], namespaces);
  const services = withNamespaces(ff[svc], namespaces);
  if (pods !== undefined) ff[pod] = pods;
  if (services !== undefined) ff[svc] = services;
}

function canonical(ff: Draft): string {
  return JSON.stringify(
    Object.keys(ff)
      .sort()
      .map((k) => [k, ff[k]]),
  );
}
