import { behaviourIn, type CiliumVersion, type VersionedBehaviourName } from '../../version/ciliumVersion.ts';
import type { ApiObject } from '../apiObject.ts';

/**
 * One column of a kind's `kubectl get` table, declared as a CustomResourceDefinition declares its
 * `additionalPrinterColumns`: a name (kubectl prints it upper-cased), a type, a priority (above
 * 0, the column shows only with `-o wide`) and where the value is, a `jsonPath` into the object.
 * The table's first column is always the name; a kind that declares no columns prints `NAME AGE`,
 * as kubectl does for a CRD without any.
 *
 * Kubernetes' own kinds are printed by code in the API server (pkg/printers/internalversion):
 * their columns compute the cell (`cell`), so a pod's STATUS can read its containers.
 */
export type PrinterColumn<T extends ApiObject = ApiObject> = JsonPathColumn | ComputedColumn<T>;

/** The column types of a CRD: a `date` prints as an age (`5m`), the others as their value. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

interface ColumnDefinition {
  /** `Age`, `Security Identity`, `Port(s)`. */
  readonly name: string;
  readonly type: ColumnType;
  /** 0 (the default): always shown; 1 and above: only with `-o wide`. */
  readonly priority?: number;
  readonly description?: string;
  /** A column a CRD declares only in the Cilium versions where this behaviour is in force (Cilium's VALID from 1.17). */
  readonly inVersions?: VersionedBehaviourName;
}

export interface JsonPathColumn extends ColumnDefinition {
  /** A simple JSONPath, `.status.conditions[?(@.type=="Valid")].status`; a missing value prints as an empty cell. */
  readonly jsonPath: string;
}

export interface ComputedColumn<T extends ApiObject = ApiObject> extends ColumnDefinition {
  readonly cell: (obj: T, ctx: PrintContext) => string;
}

/** What a built-in printer knows besides the object: the virtual clock (epoch ms) and whether `-o wide` was asked for. */
export interface PrintContext {
  readonly nowMs: number;
  readonly wide: boolean;
}

/** The first column of every table. */
export const NAME_COLUMN: PrinterColumn = { name: 'Name', type: 'string', cell: (o) => o.metadata.name };

/** The one column of a kind that declares none, as a CRD's default column. */
export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** Erases the object type the cells read, so the columns of every kind share one list type. */
export function columns<T extends ApiObject>(...cols: readonly PrinterColumn<T>[]): readonly PrinterColumn[] {
  return cols as unknown as readonly PrinterColumn[];
}

/**
 * A kind's columns as the CRDs of `version` declare them (all of them when the version is not
 * known). A kind left with the name alone prints `NAME AGE`, as kubectl prints a CRD that
 * declares no columns (Cilium's policies before 1.17).
 */
export function columnsIn(cols: readonly PrinterColumn[], version: CiliumVersion | undefined): readonly PrinterColumn[] {
  if (version === undefined || cols.every((c) => c.inVersions === undefined)) return cols;
  const kept = cols.filter((c) => c.inVersions === undefined || behaviourIn(version, c.inVersions));
  return kept.length === 1 ? [...kept, AGE_COLUMN] : kept;
}
