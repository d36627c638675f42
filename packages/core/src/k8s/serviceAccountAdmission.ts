import type { ServiceAccount } from './builtinObjects.ts';
import type { AdmissionRequest } from './kindDefinition.ts';

/** A ServiceAccount keeps `automountServiceAccountToken`; its token secrets are not modelled. */
export function admitServiceAccount({ manifest, metadata }: AdmissionRequest<ServiceAccount>): ServiceAccount {
  const automount = manifest['automountServiceAccountToken'];
  const base = { apiVersion: manifest['apiVersion'] as ServiceAccount['apiVersion'], kind: 'ServiceAccount' as const, metadata };
  return typeof automount === 'boolean' ? { ...base, automountServiceAccountToken: automount } : base;
}
