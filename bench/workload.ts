/**
 * The benchmark's synthetic cluster: tenants (namespaces) holding Deployments whose pods share
 * one identity per Deployment, and CiliumNetworkPolicies that each let one Deployment reach
 * another of its tenant on port 80. Sizes come from a `Scale`; the text is JSON-in-YAML, which
 * kubectl reads like any manifest.
 */
export interface Scale {
  readonly name: string;
  readonly nodes: number;
  readonly pods: number;
  /** Deployments, hence identities (each has its own label set). */
  readonly identities: number;
  readonly policies: number;
  readonly namespaces: number;
}

export const SCALES: Readonly<Record<string, Scale>> = {
  tiny: { name: 'tiny', nodes: 10, pods: 500, identities: 50, policies: 20, namespaces: 5 },
  small: { name: 'small', nodes: 100, pods: 5_000, identities: 500, policies: 200, namespaces: 10 },
  full: { name: 'full', nodes: 1_000, pods: 50_000, identities: 5_000, policies: 2_000, namespaces: 100 },
};

export function namespaceOf(scale: Scale, deployment: number): string {
  return `tenant-${deployment % scale.namespaces}`;
}

export function namespaceDoc(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function deploymentDoc(scale: Scale, i: number, replicas: number): string {
  const labels = { app: `app-${i}`, tier: `tier-${i % 7}` };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `app-${i}`, namespace: namespaceOf(scale, i) },
    spec: {
      replicas,
      selector: { matchLabels: { app: `app-${i}` } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
      },
    },
  });
}

/** Policy `j` selects app-j and lets the next Deployment of its tenant in on TCP/80 (`port`). */
export function policyDoc(scale: Scale, j: number, port = 80): string {
  const peer = (j + scale.namespaces) % scale.identities;
  return JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: `allow-${j}`, namespace: namespaceOf(scale, j) },
    spec: {
      endpointSelector: { matchLabels: { app: `app-${j}` } },
      ingress: [
        { fromEndpoints: [{ matchLabels: { app: `app-${peer}` } }], toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }] },
      ],
    },
  });
}

/** Replicas of Deployment `i` so the total is exactly `scale.pods`. */
export function replicasOf(scale: Scale, i: number): number {
  const base = Math.floor(scale.pods / scale.identities);
  return base + (i < scale.pods % scale.identities ? 1 : 0);
}

/** The whole cluster as one manifest: namespaces, then Deployments, then policies. */
export function clusterManifest(scale: Scale): string {
  const docs: string[] = [];
  for (let n = 0; n < scale.namespaces; n++) docs.push(namespaceDoc(`tenant-${n}`));
  for (let i = 0; i < scale.identities; i++) docs.push(deploymentDoc(scale, i, replicasOf(scale, i)));
  for (let j = 0; j < scale.policies; j++) docs.push(policyDoc(scale, j));
  return docs.join('\n---\n');
}
