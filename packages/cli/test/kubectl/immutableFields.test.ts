import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

// Updates the API server refuses, refused in its words (kubectl's `The Kind "name" is invalid:`
// line of the Invalid status), and the object left as it was; beside them, the updates it takes.
interface Case {
  readonly name: string;
  /** `kubectl get` arguments naming the object, to compare before and after. */
  readonly get: string;
  readonly before: string;
  readonly after: string;
  readonly error: string;
}

const POD = (extra: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: nginx${extra} }]\n`;
const SERVICE = (ip: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { clusterIP: ${ip}, ports: [{ port: 80 }] }\n`;
const WORKLOAD = (kind: string, selector: string, spec = '') =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata: { name: w }\nspec:\n${spec}  selector: { matchLabels: { ${selector} } }\n  template:\n    metadata: { labels: { app: w, tier: web } }\n    spec: { containers: [{ name: c, image: nginx }] }\n`;
const SECRET = (extra: string) => `apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nimmutable: true\ndata: { a: YQ== }\n${extra}`;
const GATEWAY_CLASS = (controller: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: g }\nspec: { controllerName: ${controller} }\n`;

const SELECTOR = (labels: string) =>
  `v1.LabelSelector{MatchLabels:map[string]string{${labels}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
const POD_FIELDS =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const CASES: readonly Case[] = [
  {
    name: "a Deployment's selector",
    get: 'deployment w',
    before: WORKLOAD('Deployment', 'app: w'),
    after: WORKLOAD('Deployment', 'app: w, tier: web'),
    error: `The Deployment "w" is invalid: spec.selector: Invalid value: ${SELECTOR('"app":"w", "tier":"web"')}: field is immutable`,
  },
  {
    name: "a DaemonSet's selector",
    get: 'daemonset w',
    before: WORKLOAD('DaemonSet', 'app: w'),
    after: WORKLOAD('DaemonSet', 'tier: web'),
    error: `The DaemonSet "w" is invalid: spec.selector: Invalid value: ${SELECTOR('"tier":"web"')}: field is immutable`,
  },
  {
    name: "a StatefulSet's serviceName",
    get: 'statefulset w',
    before: WORKLOAD('StatefulSet', 'app: w', '  serviceName: w\n'),
    after: WORKLOAD('StatefulSet', 'app: w', '  serviceName: other\n'),
    error:
      "The StatefulSet \"w\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  },
  {
    name: "a StatefulSet's selector",
    get: 'statefulset w',
    before: WORKLOAD('StatefulSet', 'app: w', '  serviceName: w\n'),
    after: WORKLOAD('StatefulSet', 'tier: web', '  serviceName: w\n'),
    error:
      "The StatefulSet \"w\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  },
  {
    name: "a Pod's container arguments",
    get: 'pod p',
    before: POD(''),
    after: POD(', args: [sleep]'),
    error: `The Pod "p" is invalid: spec: Forbidden: ${POD_FIELDS}`,
  },
  {
    name: "a Pod's service account",
    get: 'pod p',
    before: POD(''),
    after: `${POD('')}  serviceAccountName: other\n`,
    error: `The Pod "p" is invalid: spec: Forbidden: ${POD_FIELDS}`,
  },
  {
    name: "a Pod's tolerations, one taken away",
    get: 'pod p',
    before: `${POD('')}  tolerations: [{ key: a, operator: Exists }]\n`,
    after: `${POD('')}  tolerations: []\n`,
    error: `The Pod "p" is invalid: spec: Forbidden: ${POD_FIELDS}`,
  },
  {
    name: "a Service's ClusterIP",
    get: 'service s',
    before: SERVICE('10.96.0.50'),
    after: SERVICE('10.96.0.51'),
    error: 'The Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: may not change once set',
  },
  {
    name: 'a headless Service given an address',
    get: 'service s',
    before: SERVICE('None'),
    after: SERVICE('10.96.0.51'),
    error: 'The Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: may not change once set',
  },
  {
    name: "an immutable Secret's data and flag",
    get: 'secret db',
    before: SECRET(''),
    after: 'apiVersion: v1\nkind: Secret\nmetadata: { name: db }\ndata: { a: Yg== }\n',
    error:
      'The Secret "db" is invalid: \n* immutable: Forbidden: field is immutable when `immutable` is set\n* data: Forbidden: field is immutable when `immutable` is set',
  },
  {
    name: "a Secret's type",
    get: 'secret db',
    before: SECRET(''),
    after: SECRET('type: example.com/token\n'),
    error: 'The Secret "db" is invalid: type: Invalid value: "example.com/token": field is immutable',
  },
  {
    name: "a GatewayClass's controllerName",
    get: 'gatewayclass g',
    before: GATEWAY_CLASS('io.cilium/gateway-controller'),
    after: GATEWAY_CLASS('example.com/other'),
    error: 'The GatewayClass "g" is invalid: spec.controllerName: Invalid value: "string": Value is immutable',
  },
];

function session() {
  return createSimulator({ seed: 1, mutualAuth: false }).session;
}

describe('immutable fields', () => {
  it.each(CASES)('refuses a change of $name as the API server words it, and keeps the object', (c) => {
    const s = session();
    s.files.set('before.yaml', c.before);
    s.files.set('after.yaml', c.after);
    expect(s.run('kubectl apply -f before.yaml').exitCode).toBe(0);
    const stored = s.run(`kubectl get ${c.get} -o yaml`).stdout;

    const refused = s.run('kubectl apply -f after.yaml');

    expect(refused).toMatchObject({ stdout: '', stderr: `${c.error}\n`, exitCode: 1 });
    expect(s.run(`kubectl get ${c.get} -o yaml`).stdout).toBe(stored);
  });

  it("takes a Pod's new image, an added toleration and a new deadline; the kubelet restarts the container", () => {
    const s = session();
    s.files.set('pod.yaml', `${POD('')}  tolerations: [{ key: a, operator: Exists }]\n`);
    s.run('kubectl apply -f pod.yaml');
    s.files.set(
      'pod.yaml',
      `${POD(':1.27')}  activeDeadlineSeconds: 600\n  tolerations: [{ key: a, operator: Exists }, { key: b, operator: Exists }]\n`,
    );

    expect(s.run('kubectl apply -f pod.yaml').output).toBe('pod/p configured\n');
    expect(s.run('kubectl get pod p -o jsonpath={.spec.containers[0].image}/{.status.containerStatuses[0].restartCount}').stdout).toBe(
      'nginx:1.27/1',
    );
  });

  it("takes a StatefulSet's new replicas and template", () => {
    const s = session();
    s.files.set('sts.yaml', WORKLOAD('StatefulSet', 'app: w', '  serviceName: w\n'));
    s.run('kubectl apply -f sts.yaml');
    s.files.set(
      'sts.yaml',
      WORKLOAD('StatefulSet', 'app: w', '  serviceName: w\n  replicas: 3\n').replace('image: nginx', 'image: nginx:1.27'),
    );

    expect(s.run('kubectl apply -f sts.yaml').output).toBe('statefulset.apps/w configured\n');
    expect(s.run('kubectl get pods -l app=w -o name').stdout).toBe('pod/w-0\npod/w-1\npod/w-2\n');
  });
});
