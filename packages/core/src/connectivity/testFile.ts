import { z } from 'zod';
import { formatPath } from '../k8s/validate.ts';

/**
 * The test file `cilium-sim test` reads: `apiVersion: cilium-sim.io/v1alpha1`,
 * `kind: ConnectivityTest`. One zod schema both validates a file and is the JSON Schema shipped
 * for editors (`connectivityTestJsonSchema`), so the two never disagree.
 */
export const CONNECTIVITY_TEST_API_VERSION = 'cilium-sim.io/v1alpha1';

const EXPECT_WORDS = ['allow', 'deny', 'refused', 'auth-required'] as const;

const httpStatus = z.number().int().min(100, 'an HTTP status is 100 to 599').max(599, 'an HTTP status is 100 to 599');
const EXPECT_ERROR = 'expect is allow, deny, refused, auth-required or an HTTP status such as 403';
const expectSchema = z
  .union([z.enum(EXPECT_WORDS, { error: EXPECT_ERROR }), httpStatus, z.string().regex(/^[1-5]\d\d$/, { error: EXPECT_ERROR })], {
    error: EXPECT_ERROR,
  })
  .describe(
    'allow | deny | an HTTP status (403) | refused (a DNS REFUSED or a TCP reset) | auth-required (mutual authentication was needed)',
  );

const durationSchema = z
  .string()
  .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration such as 500ms, 5s or 1h30m')
  .describe('A duration: 500ms, 5s, 1h30m.');

const faultSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('spire-server-down') }),
    z.strictObject({ kind: z.literal('spire-agent-down'), node: z.string().min(1) }),
    z.strictObject({ kind: z.literal('trust-domain-mismatch'), node: z.string().min(1), trustDomain: z.string().min(1).optional() }),
    z.strictObject({ kind: z.literal('clock-skew'), node: z.string().min(1), skew: durationSchema }),
  ])
  .describe('A fault injected into SPIRE or mutual authentication (cluster.faults).');

const flowSchema = z
  .strictObject({
    verdict: z
      .enum(['FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR'])
      .optional()
      .describe("A flow of the case's connection has this Hubble verdict."),
    dropReason: z.string().min(1).optional().describe('A flow has this drop_reason_desc: POLICY_DENIED, POLICY_DENY, AUTH_REQUIRED, ...'),
    policies: z
      .array(z.string().min(1))
      .optional()
      .describe('Each policy is named in an allowed_by / denied_by of a flow: NAME, NAMESPACE/NAME or KIND/NAMESPACE/NAME.'),
    direction: z.enum(['INGRESS', 'EGRESS']).optional().describe('A policy verdict of this traffic direction.'),
    authType: z.enum(['SPIRE', 'TEST_ALWAYS_FAIL']).optional().describe('A policy verdict that required this authentication.'),
  })
  .describe("Fields the case's Hubble flows must show.");

export const connectivityCaseSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Shown in reports; default: "FROM -> TO PROTOCOL/PORT".'),
    from: z
      .string()
      .min(1)
      .describe('NAMESPACE/POD, NAMESPACE/DEPLOYMENT (its first pod), host (the node of the target pod), node:NODE, or external:IP.'),
    to: z
      .string()
      .min(1)
      .describe('NAMESPACE/POD, NAMESPACE/DEPLOYMENT, NAMESPACE/SERVICE, a DNS name (a Service or an external name), or an IP.'),
    port: z.number().int().min(1).max(65535).optional().describe('Default: 53 with dns, 443 with tls, else 80.'),
    protocol: z.enum(['TCP', 'UDP']).optional().describe('Default: UDP with dns, else TCP.'),
    http: z
      .strictObject({
        method: z.string().min(1).optional().describe('Default GET.'),
        path: z.string().startsWith('/').optional().describe('Default /.'),
        headers: z.record(z.string(), z.string()).optional(),
      })
      .optional()
      .describe('Send an HTTP request (curl) instead of a bare TCP connection.'),
    dns: z
      .strictObject({ query: z.string().min(1).describe('The name to look up; `to` is the DNS server.') })
      .optional()
      .describe('Send a DNS query (nslookup) to `to`.'),
    tls: z
      .strictObject({ sni: z.string().min(1).optional().describe('Default: the `to` name.') })
      .optional()
      .describe('Open a TLS connection (curl https://) with this server name.'),
    expect: expectSchema,
    flow: flowSchema.optional(),
    faults: z.array(faultSchema).optional().describe('Faults in force for this case only (on top of spec.faults).'),
    advance: durationSchema.optional().describe('Move the virtual clock this far before the case (certificate rotation, expiry).'),
    timeout: durationSchema.optional().describe('How long the client waits (connect timeout); default 5s.'),
  })
  .describe('One probe: traffic sent through the cluster, and what it must do.');

const metadataSchema = z
  .looseObject({ name: z.string().min(1), labels: z.record(z.string(), z.string()).optional() })
  .describe('The test: its name names it in reports.');

export const connectivityTestSchema = z
  .strictObject({
    apiVersion: z.literal(CONNECTIVITY_TEST_API_VERSION),
    kind: z.literal('ConnectivityTest'),
    metadata: metadataSchema,
    spec: z.strictObject({
      manifests: z
        .array(z.string().min(1))
        .optional()
        .describe('Applied in order before the cases: paths relative to this file, or inline YAML (a multi-line string).'),
      external: z.record(z.string(), z.string()).optional().describe('Outside names CoreDNS resolves, NAME: IP (as --external NAME=IP).'),
      seed: z.number().int().optional().describe('Seed of every random choice; default 1.'),
      nodes: z.number().int().min(1).max(1000).optional().describe('Nodes of the kind cluster; default 3.'),
      mutualAuth: z.boolean().optional().describe('SPIRE and Cilium mutual authentication; default true.'),
      encryption: z.enum(['disabled', 'wireguard', 'ipsec']).optional(),
      ciliumVersion: z
        .string()
        .optional()
        .describe('The Cilium version the manifests target (1.14 to 1.20): its lint errors are reported with the results.'),
      config: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .optional()
        .describe('cilium-config keys set before the manifests: enable-policy, policy-audit-mode, ...'),
      faults: z.array(faultSchema).optional().describe('Faults injected after the manifests, for every case.'),
      cases: z.array(connectivityCaseSchema).min(1),
    }),
  })
  .describe('A cilium-sim connectivity test: manifests, a cluster, and the traffic that must or must not flow.');

export type ConnectivityTest = z.infer<typeof connectivityTestSchema>;
export type ConnectivityCase = z.infer<typeof connectivityCaseSchema>;
export type ConnectivityFault = z.infer<typeof faultSchema>;
export type ConnectivityExpect = z.infer<typeof expectSchema>;

/** A problem of a test file (or of what it names), at a field of the test: `spec.cases[2].from`. */
export interface ConnectivityTestIssue {
  readonly path: string;
  readonly message: string;
  /**
   * For a manifest the API server refused: which entry of `spec.manifests` (of the shared
   * manifests when `shared`), the line of the object there, and the object's YAML document
   * (1-based, with `itemPath` inside a `kind: List`) and the refused field ('' for the object),
   * so a reader of the text can point at the field's own line.
   */
  readonly manifest?: {
    readonly entry: number;
    readonly shared?: true;
    readonly line: number;
    readonly field?: { readonly document: number; readonly itemPath: string; readonly path: string };
  };
}

/** Validates a test document as read from YAML; every problem with its field path. Pure. */
export function parseConnectivityTest(
  value: unknown,
): { ok: true; test: ConnectivityTest } | { ok: false; issues: ConnectivityTestIssue[] } {
  const r = connectivityTestSchema.safeParse(value);
  if (r.success) return { ok: true, test: r.data };
  return {
    ok: false,
    issues: r.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: formatPath([...i.path, k]), message: `unknown field "${k}"` }))
        : [{ path: formatPath(i.path), message: i.message }],
    ),
  };
}

/** The JSON Schema of a test file, for editors (generated from the schema that validates it). */
export function connectivityTestJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(connectivityTestSchema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, title: 'cilium-sim ConnectivityTest', ...schema };
}
