import { SimError } from '../errors.ts';
import type { PolicyObject } from './builtinObjects.ts';
import type { AdmissionRequest } from './kindDefinition.ts';

/**
 * NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy keep their rules as
 * written; the policy module validates them (the context's `validatePolicy`), and its issues
 * refuse the object.
 */
export function admitPolicyObject<P extends PolicyObject>({ ref, object, manifest, metadata, env }: AdmissionRequest<P>): P {
  const { metadata: _metadata, status: _status, ...body } = manifest;
  const policy = { ...body, kind: ref.kind, metadata } as P;
  const issues = env.ctx.validatePolicy?.(policy) ?? [];
  if (issues.length > 0) throw SimError.of(issues.map((i) => ({ ...i, object: i.object ?? object })));
  return policy;
}
