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

/** The condition a Gateway API CRD defaults before any controller has looked. */
const waiting = (type: string) => ({
  lastTransitionTime: '1970-01-01T00:00:00Z',
  message: 'Waiting for controller',
  reason: 'Pending',
  status: 'Unknown',
  type,
});

/**
 * As `admitKeepingStatus`, with the status the CRD's schema defaults on create (gateway-api
 * v1.1.0): a GatewayClass `Accepted` and a Gateway `Accepted` and `Programmed`, all `Unknown`,
 * `Pending`, `Waiting for controller`, until a controller writes its own.
 */
export function admitWithPendingStatus<O extends { readonly status?: unknown }>(types: readonly string[]) {
  return (request: AdmissionRequest<O>): O => {
    const admitted = admitKeepingStatus(request);
    return admitted.status === undefined ? ({ ...admitted, status: { conditions: types.map(waiting) } } as O) : admitted;
  };
}
