import { decodeBase64 } from '../base64.ts';
import type { Secret } from '../k8s/schemas/secret.ts';
import { getObject, type K8sState } from '../k8s/state.ts';
import { decodePem } from '../spire/pem.ts';
import { parseCertificate } from '../spire/x509.ts';
import { type ConditionInput, failed } from './conditions.ts';
import { referenceAllowed } from './referenceGrant.ts';
import { GATEWAY_API_GROUP as GROUP } from '../k8s/schemas/gatewayApiShared.ts';

/** The certificate Envoy presents on a listener: the Secret it came from and what it names. */
export interface ServedCertificate {
  readonly namespace: string;
  readonly name: string;
  /** The certificate's subject (`CN=shop.example.com`) and issuer, as a client reads them. */
  readonly subject: string;
  readonly issuer: string;
}

/** A listener's certificate references resolved: the certificates, or the first problem, worded as Cilium words it. */
export type CertificateResolution =
  | { readonly ok: true; readonly certificates: readonly ServedCertificate[] }
  | { readonly ok: false; readonly resolvedRefs: ConditionInput };

interface CertificateRef {
  readonly group?: string | undefined;
  readonly kind?: string | undefined;
  readonly name: string;
  readonly namespace?: string | undefined;
}

/**
 * Cilium's check of a listener's `tls.certificateRefs` (operator/pkg/gateway-api, in the
 * listener status): each must be a core Secret, in the Gateway's namespace or one whose
 * ReferenceGrant admits Gateways of this namespace, holding PEM in `tls.crt` and `tls.key`.
 */
export function resolveCertificateRefs(state: K8sState, gatewayNamespace: string, refs: readonly CertificateRef[]): CertificateResolution {
  const certificates: ServedCertificate[] = [];
  for (const ref of refs) {
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret')
      return { ok: false, resolvedRefs: failed('ResolvedRefs', 'InvalidCertificateRef', 'Invalid CertificateRef') };
    const namespace = ref.namespace ?? gatewayNamespace;
    const allowed = referenceAllowed(
      state,
      { group: GROUP, kind: 'Gateway', namespace: gatewayNamespace },
      { group: '', kind: 'Secret', namespace, name: ref.name },
    );
    if (!allowed) return { ok: false, resolvedRefs: failed('ResolvedRefs', 'RefNotPermitted', 'CertificateRef is not permitted') };
    const served = tlsSecret(state, namespace, ref.name);
    if (served === undefined) return { ok: false, resolvedRefs: failed('ResolvedRefs', 'InvalidCertificateRef', 'Invalid CertificateRef') };
    certificates.push(served);
  }
  return { ok: true, certificates };
}

/**
 * The certificate of a TLS Secret, or undefined when the Secret is missing or its `tls.crt` or
 * `tls.key` is not PEM (Cilium's test: Go's pem.Decode finds a block). A PEM block that is not
 * a certificate Envoy could read still serves, with its subject unknown.
 */
export function tlsSecret(state: K8sState, namespace: string, name: string): ServedCertificate | undefined {
  const secret = getObject(state, { kind: 'Secret', namespace, name });
  if (secret === undefined) return undefined;
  const crt = pemBlocks(secret, 'tls.crt');
  if (crt.length === 0 || pemBlocks(secret, 'tls.key').length === 0) return undefined;
  let subject = '';
  let issuer = '';
  try {
    const parsed = parseCertificate(crt[0]!.der);
    subject = parsed.subject;
    issuer = parsed.issuer;
  } catch {
    // Not an X.509 certificate: Cilium passes it on; the client learns nothing from it.
  }
  return { namespace, name, subject, issuer };
}

/** The PEM blocks of `data[key]` (admission has merged `stringData` into `data`). */
function pemBlocks(secret: Secret, key: string): ReturnType<typeof decodePem> {
  const value = secret.data?.[key];
  const bytes = value === undefined ? undefined : decodeBase64(value);
  return bytes === undefined || 'offset' in bytes ? [] : decodePem(new TextDecoder().decode(bytes));
}
