/**
 * Shared fixtures for the k8s tests: small manifests written for these tests in the shape of the
 * labs' Star Wars and mutual-auth examples (never read from outside the repository), and a
 * seeded cluster on a fresh clock.
 */
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import type { ApplyContext } from '../../src/k8s/context.ts';
import { bootstrapCluster, type BootstrapOptions } from '../../src/k8s/bootstrap.ts';
import { parseManifest } from '../../src/k8s/manifest.ts';
import type { K8sState } from '../../src/k8s/state.ts';
import { describeRef } from '../../src/k8s/objects.ts';
import { applyDocuments, type ObjectResult, type StoreResult } from '../../src/k8s/store.ts';

export const STAR_WARS = `---
apiVersion: v1
kind: Service
metadata:
  name: deathstar
  labels:
    app.kubernetes.io/name: deathstar
spec:
  type: ClusterIP
  ports:
  - port: 80
  selector:
    org: empire
    class: deathstar
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deathstar
spec:
  replicas: 2
  selector:
    matchLabels:
      org: empire
      class: deathstar
  template:
    metadata:
      labels:
        org: empire
        class: deathstar
    spec:
      containers:
      - name: deathstar
        image: quay.io/cilium/starwars:v2.1
---
apiVersion: v1
kind: Pod
metadata:
  name: tiefighter
  labels:
    org: empire
    class: tiefighter
spec:
  containers:
  - name: spaceship
    image: quay.io/cilium/json-mock:v1.3.8
---
apiVersion: v1
kind: Pod
metadata:
  name: xwing
  labels:
    org: alliance
    class: xwing
spec:
  containers:
  - name: spaceship
    image: quay.io/cilium/json-mock:v1.3.8
`;

export const ECHO = `apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  ports:
  - port: 8080
    name: high
    protocol: TCP
    targetPort: http
  selector:
    app: echo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
      - name: echo
        image: gcr.io/kubernetes-e2e-test-images/echoserver:2.2
        ports:
        - name: http
          containerPort: 8080
        env:
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
`;

export interface TestCluster {
  state: K8sState;
  readonly ctx: ApplyContext;
  apply(yaml: string): StoreResult;
}

/** A bootstrapped 3-node cluster (or `nodes`) on seed `seed`; `apply` keeps the state. */
export function testCluster(
  seed = 1,
  nodes = 3,
  mutualAuth = true,
  install: Pick<BootstrapOptions, 'ciliumVersion' | 'kubeProxyReplacement'> = {},
): TestCluster {
  const clock = new Clock();
  const rng = Rng.seeded(seed).fork('k8s');
  const ctx: ApplyContext = { clock, rng, clusterName: 'kind-kind' };
  const cluster: TestCluster = {
    state: bootstrapCluster({ nodes, mutualAuth, clusterName: 'kind-kind', clock, rng, ...install }),
    ctx,
    apply(yaml: string) {
      const out = applyDocuments(cluster.state, parseManifest(yaml), ctx);
      cluster.state = out.state;
      return out;
    },
  };
  return cluster;
}

/**
 * A result in words of no tool, for assertions: `Pod default/xwing created`, or the error's
 * reason and message (`NotFound: Namespace nope: not found`). kubectl's own lines are pinned by
 * the CLI's tests.
 */
export function outcome(r: ObjectResult): string {
  return r.ok ? `${describeRef(r.ref)} ${r.verb}` : `${r.error.reason}: ${r.error.message}`;
}

export function outcomes(out: StoreResult): string[] {
  return out.results.map(outcome);
}
