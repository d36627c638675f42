import type { SimIssue } from '../errors.ts';
import type { PolicyObject } from '../k8s/objects.ts';
import { admitPolicyObject, parsePolicy } from '../policy/parsePolicy.ts';
import type { PolicyRules } from '../policy/types.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion, type CiliumVersion } from '../version/ciliumVersion.ts';

interface Admitted {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly spec: unknown;
  readonly specs: unknown;
  readonly rules: PolicyRules;
}

type PolicyBody = PolicyObject & { readonly spec?: object; readonly specs?: object };

/**
 * The API server's policy admission, which parses each revision once: `validate` is the store's
 * validation hook, and what it parsed is kept for the revision it admitted, so the policy
 * watcher and dry runs read the rules from here instead of parsing the object again. Revisions
 * are told apart by their rules' own objects (`spec`, `specs`), which the store keeps as they
 * were admitted; a label change keeps them, so it costs no parse either.
 */
export class PolicyAdmission {
  readonly #extensions: readonly string[];
  readonly #version: CiliumVersion;
  readonly #parsed = new WeakMap<object, Admitted>();

  /** `version`: whose CRDs and validation admit policies (default the labs' 1.16.0). */
  constructor(extensions: readonly string[], version: CiliumVersion = parseCiliumVersion(DEFAULT_CILIUM_VERSION)) {
    this.#extensions = extensions;
    this.#version = version;
  }

  /** Every issue of the object (empty when admitted). */
  validate(obj: PolicyObject): readonly SimIssue[] {
    const { rules, issues } = admitPolicyObject(obj, { extensions: this.#extensions, ciliumVersion: this.#version });
    if (rules !== undefined) this.#remember(obj as PolicyBody, deepFreeze(rules));
    return issues;
  }

  /** The rules of an admitted policy object: admission's parse of this revision, else a parse now. */
  rulesOf(obj: PolicyObject): PolicyRules {
    const body = obj as PolicyBody;
    const key = keyOf(body);
    const hit = key === undefined ? undefined : this.#parsed.get(key);
    if (
      hit !== undefined &&
      hit.spec === body.spec &&
      hit.specs === body.specs &&
      hit.kind === obj.kind &&
      hit.name === obj.metadata.name &&
      hit.namespace === obj.metadata.namespace
    )
      return hit.rules;
    const rules = deepFreeze(parsePolicy(obj, this.#version));
    this.#remember(body, rules);
    return rules;
  }

  #remember(body: PolicyBody, rules: PolicyRules): void {
    const key = keyOf(body);
    if (key === undefined) return;
    const { kind, metadata } = body;
    this.#parsed.set(key, { kind, namespace: metadata.namespace, name: metadata.name, spec: body.spec, specs: body.specs, rules });
  }
}

/**
 * Freezes parsed rules all the way down: the engine, the dry runs and `cluster.inspect.policies()`
 * share them, so none of them may change what the others read.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/** The object that stands for a revision's rules: `spec`, else `specs`. */
function keyOf(body: PolicyBody): object | undefined {
  const key: unknown = body.spec ?? body.specs;
  return typeof key === 'object' && key !== null ? key : undefined;
}
