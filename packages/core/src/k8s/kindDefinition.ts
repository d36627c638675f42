import type { z } from 'zod';
import type { ObjectMeta, Pod } from './builtinObjects.ts';
import { AGE_COLUMN, NAME_COLUMN, type PrinterColumn } from './columns/printerColumn.ts';
import type { TxEnv } from './context.ts';

/**
 * What the registry (kinds.ts) knows of one API kind: discovery's names, whether the API server
 * stores it and whether users may apply it, its manifest schema, what admission does to it, its
 * `kubectl get` columns and its field selectors. The API server, the store, kubectl and the error
 * messages read it from here; `O` is the type of a stored object (never for a derived kind).
 */
export interface KindDefinition<K extends string = string, O = unknown> {
  readonly kind: K;
  /** API group; '' for the core group (`Pod`, `Service`). */
  readonly group: string;
  /** Served versions, preferred first: `v1`, `v2`. */
  readonly versions: readonly string[];
  /** The `apiVersion` values a manifest may carry: `v1`, `apps/v1`, `cilium.io/v2`. */
  readonly apiVersions: readonly string[];
  /** Plural resource name, without group: `pods`, `deployments`, `ciliumnetworkpolicies`. */
  readonly plural: string;
  /** Singular resource name, the kind in lower case: `pod`, `deployment`, `endpoints`. */
  readonly singular: string;
  /** The short names discovery lists: `po`, `svc`, `cnp`. */
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** The categories discovery lists (`all`, which `kubectl get all` expands). */
  readonly categories: readonly string[];
  /** True when the store holds objects of this kind; false for a kind derived from others. */
  readonly stored: boolean;
  /** True when a manifest may carry it (apply, create, delete -f): the kind has a schema. */
  readonly applicable: boolean;
  /** Validates a manifest; every issue it finds is reported, worded as the API server words it. */
  readonly schema: z.ZodType | undefined;
  /**
   * The object the API server stores for a validated manifest: defaults filled in, fields
   * converted, checks against the stored object or the rest of the store. Stored kinds only.
   */
  admit?(request: AdmissionRequest<O>): O;
  /** The columns of `kubectl get`, the name first (as a table from the API server lists them). */
  readonly columns: readonly PrinterColumn[];
  /** The fields `--field-selector` may name: `metadata.name`, `metadata.namespace` and the kind's own. */
  readonly fieldSelectors: readonly string[];
}

/** A validated manifest on its way into the store, as an admission hook sees it. */
export interface AdmissionRequest<O> {
  readonly ref: { readonly kind: string; readonly namespace?: string; readonly name: string };
  /** The object as errors name it: `Secret default/tls`. */
  readonly object: string;
  /** The manifest as written, validated by the kind's schema. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The metadata to store: the written labels and annotations, the server's fields set or kept. */
  readonly metadata: ObjectMeta;
  /** The stored object, on update. */
  readonly existing: O | undefined;
  readonly env: TxEnv;
  /** The rest of the store, as the transaction found it. */
  readonly store: ObjectLookup;
}

/** What an admission hook may read of the store (admission plugins read the API server's listers). */
export interface ObjectLookup {
  /** The stored object `ref` names, typed as the caller says the kind is. */
  get<T extends StoredObject>(ref: { readonly kind: T['kind']; readonly namespace?: string; readonly name: string }): T | undefined;
  /** The stored objects of a kind, in the API server's list order. */
  list<T extends StoredObject>(kind: T['kind'], namespace?: string): readonly T[];
  /** The pod that holds `ip`. */
  podAt(ip: string): Pod | undefined;
}

/** What every stored object has. */
export interface StoredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

/**
 * The type of a stored object whose manifest `schema` validates: the manifest's fields, with the
 * metadata the API server stores.
 */
export type ObjectOfSchema<S extends z.ZodType> = Readonly<Omit<z.output<S>, 'metadata' | 'apiVersion'>> & StoredObject;

/** The discovery fields an entry of the registry writes; the rest is derived. */
interface KindFields {
  readonly group: string;
  readonly versions: readonly string[];
  readonly plural: string;
  readonly shortNames?: readonly string[];
  readonly namespaced: boolean;
  readonly categories?: readonly string[];
  /** The columns after NAME, as a CRD's additionalPrinterColumns; none declared prints `NAME AGE`. */
  readonly columns?: readonly PrinterColumn[];
  /** Field selectors beyond `metadata.name` and `metadata.namespace`. */
  readonly fieldSelectors?: readonly string[];
}

/** A stored kind: with a schema users may apply it; without one only the simulator makes its objects (Node). */
export interface StoredKindFields<O extends StoredObject> extends KindFields {
  readonly kind: O['kind'];
  readonly schema?: z.ZodType;
  /** Admission's work; without a hook the object is stored as written (its `status` dropped). */
  admit?(request: AdmissionRequest<O>): O;
}

const COMMON_FIELD_SELECTORS = ['metadata.name', 'metadata.namespace'];

/** A registry entry for a kind the store holds. */
export function storedKind<O extends StoredObject>(fields: StoredKindFields<O>): KindDefinition<O['kind'], O> {
  const admit = fields.admit ?? asWritten<O>;
  return Object.freeze({
    ...definition(fields.kind, fields),
    stored: true,
    applicable: fields.schema !== undefined,
    schema: fields.schema,
    admit,
  });
}

/** A registry entry for a kind the API serves but derives from other state (Endpoints, CiliumEndpoint). */
export function derivedKind<K extends string>(fields: KindFields & { readonly kind: K }): KindDefinition<K, never> {
  return Object.freeze({ ...definition(fields.kind, fields), stored: false, applicable: false, schema: undefined });
}

function definition<K extends string>(kind: K, f: KindFields) {
  return {
    kind,
    group: f.group,
    versions: f.versions,
    apiVersions: f.versions.map((v) => (f.group === '' ? v : `${f.group}/${v}`)),
    plural: f.plural,
    singular: kind.toLowerCase(),
    shortNames: f.shortNames ?? [],
    namespaced: f.namespaced,
    categories: f.categories ?? [],
    columns: [NAME_COLUMN, ...(f.columns === undefined || f.columns.length === 0 ? [AGE_COLUMN] : f.columns)],
    fieldSelectors: [...COMMON_FIELD_SELECTORS, ...(f.fieldSelectors ?? [])],
  };
}

/** The manifest's own fields with the stored metadata: the object a kind without admission hook stores. */
function asWritten<O>(request: AdmissionRequest<O>): O {
  const { metadata: _metadata, status: _status, ...fields } = request.manifest;
  return { ...fields, kind: request.ref.kind, metadata: request.metadata } as O;
}
