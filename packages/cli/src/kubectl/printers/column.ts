import type { KubeObject } from '../objects.ts';
import { age } from '../../age.ts';

/**
 * One column of a `kubectl get` table, as kubectl's printers define it: a header, whether it
 * shows only with `-o wide` (priority 1), and how a cell is read from the object.
 */
export interface Column<T extends KubeObject = KubeObject> {
  readonly header: string;
  readonly wide?: boolean;
  readonly cell: (obj: T, nowMs: number) => string;
}

export const NAME: Column = { header: 'NAME', cell: (o) => o.metadata.name };
export const AGE: Column = { header: 'AGE', cell: (o, nowMs) => age(o.metadata.creationTimestamp, nowMs) };

/** Erases the object type so columns of every kind share one table builder. */
export function columns<T extends KubeObject>(...cols: readonly Column<T>[]): readonly Column[] {
  return cols as unknown as readonly Column[];
}
