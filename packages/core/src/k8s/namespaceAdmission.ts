import type { Namespace } from './builtinObjects.ts';
import type { AdmissionRequest } from './kindDefinition.ts';

/** A Namespace carries its own name as the `kubernetes.io/metadata.name` label, and is Active until deleted. */
export function admitNamespace({ ref, manifest, metadata }: AdmissionRequest<Namespace>): Namespace {
  return {
    apiVersion: manifest['apiVersion'] as Namespace['apiVersion'],
    kind: 'Namespace',
    metadata: { ...metadata, labels: { ...metadata.labels, 'kubernetes.io/metadata.name': ref.name } },
    status: { phase: metadata.deletionTimestamp === undefined ? 'Active' : 'Terminating' },
  };
}
