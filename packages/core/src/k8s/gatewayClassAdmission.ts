import { SimError } from '../errors.ts';
import { crdImmutableIssues } from './immutableFields.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import type { GatewayClass } from './schemas/gatewayClass.ts';
import { admitWithPendingStatus } from './statusAdmission.ts';

const pending = admitWithPendingStatus<GatewayClass>(['Accepted']);

/** A GatewayClass: its `spec.controllerName` may not change (the CRD's `self == oldSelf` rule). */
export function admitGatewayClass(request: AdmissionRequest<GatewayClass>): GatewayClass {
  const { existing, object, manifest } = request;
  if (existing !== undefined) {
    const written = (manifest['spec'] as { controllerName?: unknown } | undefined)?.controllerName;
    const issues = crdImmutableIssues({ object, ref: request.ref }, 'spec.controllerName', written, existing.spec.controllerName);
    if (issues.length > 0) throw SimError.of(issues);
  }
  return pending(request);
}
