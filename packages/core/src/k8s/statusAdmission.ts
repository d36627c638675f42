import type { AdmissionRequest } from './kindDefinition.ts';

/**
 * Admission of a kind with a status subresource that a controller writes (Gateway API kinds,
 * Ingress): the manifest is stored as written, its own `status` ignored, and an update keeps the
 * status the controller last wrote, as the API server does for a write to the main resource.
 */
export function admitKeepingStatus<O extends { readonly status?: unknown }>(request: AdmissionRequest<O>): O {
  const { metadata: _metadata, status: _status, ...fields } = request.manifest;
  const status = request.existing?.status;
  return { ...fields, kind: request.ref.kind, metadata: request.metadata, ...(status === undefined ? {} : { status }) } as unknown as O;
}
