import { ciliumImages } from '../version/ciliumComponents.ts';
import type { CiliumVersion } from '../version/ciliumVersion.ts';
import { KUBE_DNS_SERVICE_IP, KUBERNETES_SERVICE_IP } from './ipam.ts';

/**
 * The system objects a kind cluster with Cilium (and Cilium's SPIRE install) shows, as manifests:
 * what `kubectl get pods,svc -A` lists in the labs. Pure data; `bootstrapCluster` applies it.
 * Images are those of the installed Cilium version (version/ciliumComponents.ts).
 */
type Manifest = Record<string, unknown>;

/** What the install chose: the Cilium version, SPIRE, and whether Cilium replaces kube-proxy. */
export interface SystemInstall {
  readonly version: CiliumVersion;
  readonly spire: boolean;
  /** kind runs without kube-proxy when Cilium replaces it (`kube-proxy-replacement: true`). */
  readonly kubeProxyReplacement: boolean;
}

const TOLERATE_ALL = [{ operator: 'Exists' }];
const CONTROL_PLANE_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
];

function serviceAccount(namespace: string, name: string): Manifest {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

function deployment(namespace: string, name: string, labels: Record<string, string>, replicas: number, spec: Manifest): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}

function service(namespace: string, name: string, labels: Record<string, string>, spec: Manifest): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec };
}

/**
 * Service accounts, Deployments and Services of kube-system, local-path-storage and default.
 * kube-proxy's ServiceAccount is listed even when Cilium replaces kube-proxy: the bootstrap
 * draws it and then leaves it out (see bootstrap.ts).
 */
export function systemManifests(install: SystemInstall): Manifest[] {
  const images = ciliumImages(install.version);
  const spire = install.spire;
  const out: Manifest[] = [
    ...['coredns', 'cilium', 'cilium-operator', 'hubble-relay', 'kube-proxy'].map((n) => serviceAccount('kube-system', n)),
    serviceAccount('local-path-storage', 'local-path-provisioner-service-account'),
    service(
      'default',
      'kubernetes',
      { component: 'apiserver', provider: 'kubernetes' },
      {
        clusterIP: KUBERNETES_SERVICE_IP,
        ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
      },
    ),
    deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 2, {
      serviceAccountName: 'coredns',
      tolerations: CONTROL_PLANE_TOLERATIONS,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [
        {
          name: 'coredns',
          image: 'registry.k8s.io/coredns/coredns:v1.11.1',
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
          ],
        },
      ],
    }),
    service(
      'kube-system',
      'kube-dns',
      { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      {
        clusterIP: KUBE_DNS_SERVICE_IP,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
        ],
      },
    ),
    deployment('kube-system', 'cilium-operator', { 'io.cilium/app': 'operator', name: 'cilium-operator' }, 1, {
      serviceAccountName: 'cilium-operator',
      hostNetwork: true,
      tolerations: TOLERATE_ALL,
      containers: [{ name: 'cilium-operator', image: images.operator, command: ['cilium-operator-generic'] }],
    }),
    deployment('kube-system', 'hubble-relay', { 'k8s-app': 'hubble-relay' }, 1, {
      serviceAccountName: 'hubble-relay',
      containers: [{ name: 'hubble-relay', image: images.hubbleRelay, ports: [{ name: 'grpc', containerPort: 4245 }] }],
    }),
    service(
      'kube-system',
      'hubble-relay',
      { 'k8s-app': 'hubble-relay' },
      {
        selector: { 'k8s-app': 'hubble-relay' },
        ports: [{ port: 80, targetPort: 'grpc', protocol: 'TCP' }],
      },
    ),
    deployment('local-path-storage', 'local-path-provisioner', { app: 'local-path-provisioner' }, 1, {
      serviceAccountName: 'local-path-provisioner-service-account',
      tolerations: CONTROL_PLANE_TOLERATIONS,
      containers: [{ name: 'local-path-provisioner', image: 'docker.io/kindest/local-path-provisioner:v20240202-8f1494ea' }],
    }),
  ];
  if (spire) {
    out.push(
      serviceAccount('cilium-spire', 'spire-server'),
      serviceAccount('cilium-spire', 'spire-agent'),
      service(
        'cilium-spire',
        'spire-server',
        { app: 'spire-server' },
        {
          selector: { app: 'spire-server' },
          ports: [{ name: 'grpc', port: 8081, targetPort: 8081, protocol: 'TCP' }],
        },
      ),
    );
  }
  return out;
}

/**
 * The Cilium components the labs' installs add to the base set: Hubble UI (its Deployment runs on
 * the control-plane node, leaving the workers to the lab's workloads) and the Envoy DaemonSet's
 * ServiceAccount where the version runs one. The bootstrap applies them with random streams of
 * their own, so they shift no name, uid or address of the objects around them.
 */
export function componentManifests(install: SystemInstall): Manifest[] {
  const images = ciliumImages(install.version);
  const labels = { 'k8s-app': 'hubble-ui', 'app.kubernetes.io/name': 'hubble-ui', 'app.kubernetes.io/part-of': 'cilium' };
  return [
    serviceAccount('kube-system', 'hubble-ui'),
    ...(images.envoy === undefined ? [] : [serviceAccount('kube-system', 'cilium-envoy')]),
    deployment('kube-system', 'hubble-ui', labels, 1, {
      serviceAccountName: 'hubble-ui',
      tolerations: CONTROL_PLANE_TOLERATIONS,
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      containers: [
        { name: 'frontend', image: images.hubbleUi, ports: [{ name: 'http', containerPort: 8081 }] },
        { name: 'backend', image: images.hubbleUiBackend, ports: [{ name: 'grpc', containerPort: 8090 }] },
      ],
    }),
    service(
      'kube-system',
      'hubble-ui',
      { 'k8s-app': 'hubble-ui', 'app.kubernetes.io/name': 'hubble-ui', 'app.kubernetes.io/part-of': 'cilium' },
      { selector: { 'k8s-app': 'hubble-ui' }, ports: [{ name: 'http', port: 80, targetPort: 8081, protocol: 'TCP' }] },
    ),
  ];
}

/** A pod a DaemonSet, StatefulSet or the kubelet makes: not driven by a stored controller. */
export interface SystemPod {
  readonly namespace: string;
  /** The full name, or a prefix to which `-<5 chars>` is added (DaemonSet pods). */
  readonly name: string;
  readonly suffixed: boolean;
  readonly labels: Record<string, string>;
  readonly serviceAccountName: string;
  readonly hostNetwork: boolean;
  readonly containers: readonly {
    name: string;
    image: string;
    ports?: { name?: string; containerPort: number; protocol: 'TCP' | 'UDP' }[];
  }[];
  readonly owner: { readonly apiVersion: string; readonly kind: 'DaemonSet' | 'StatefulSet' | 'Node'; readonly name: string };
  /**
   * False for a pod the install leaves out (kube-proxy under kube-proxy replacement): it is still
   * drawn, so the names and uids of the pods after it are the same under every install.
   */
  readonly runs: boolean;
}

const daemonSet = (name: string): SystemPod['owner'] => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', name });

/** The Cilium agent's pod, one per node: also what a restart of the agents recreates. */
export function agentPod(version: CiliumVersion): SystemPod {
  return {
    namespace: 'kube-system',
    name: 'cilium',
    suffixed: true,
    hostNetwork: true,
    serviceAccountName: 'cilium',
    owner: daemonSet('cilium'),
    labels: {
      'k8s-app': 'cilium',
      'app.kubernetes.io/name': 'cilium-agent',
      'app.kubernetes.io/part-of': 'cilium',
      'pod-template-generation': '1',
    },
    containers: [{ name: 'cilium-agent', image: ciliumImages(version).agent }],
    runs: true,
  };
}

/**
 * The per-node pods in the order they are drawn: Cilium agent, kube-proxy (left out under
 * kube-proxy replacement), and the SPIRE agent when SPIRE runs.
 */
export function daemonPods(install: SystemInstall): SystemPod[] {
  const pods: SystemPod[] = [
    agentPod(install.version),
    {
      namespace: 'kube-system',
      name: 'kube-proxy',
      suffixed: true,
      hostNetwork: true,
      serviceAccountName: 'kube-proxy',
      owner: daemonSet('kube-proxy'),
      labels: { 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
      containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.29.2' }],
      runs: !install.kubeProxyReplacement,
    },
  ];
  if (install.spire) {
    pods.push({
      namespace: 'cilium-spire',
      name: 'spire-agent',
      suffixed: true,
      hostNetwork: true,
      serviceAccountName: 'spire-agent',
      owner: daemonSet('spire-agent'),
      labels: { app: 'spire-agent', 'pod-template-generation': '1' },
      containers: [{ name: 'spire-agent', image: ciliumImages(install.version).spireAgent }],
      runs: true,
    });
  }
  return pods;
}

/** The Envoy DaemonSet's pod, one per node, where the version runs Envoy outside the agent. */
export function envoyPods(install: SystemInstall): SystemPod[] {
  const image = ciliumImages(install.version).envoy;
  if (image === undefined) return [];
  return [
    {
      namespace: 'kube-system',
      name: 'cilium-envoy',
      suffixed: true,
      hostNetwork: true,
      serviceAccountName: 'cilium-envoy',
      owner: daemonSet('cilium-envoy'),
      labels: {
        'k8s-app': 'cilium-envoy',
        'app.kubernetes.io/name': 'cilium-envoy',
        'app.kubernetes.io/part-of': 'cilium',
        name: 'cilium-envoy',
        'pod-template-generation': '1',
      },
      containers: [{ name: 'cilium-envoy', image }],
      runs: true,
    },
  ];
}

/**
 * The control plane's static pods (mirror pods owned by their Node) and the SPIRE server
 * StatefulSet's pod, whose two containers are those of Cilium's Helm chart.
 */
export function controlPlanePods(controlPlane: string, install: SystemInstall): SystemPod[] {
  const images = ciliumImages(install.version);
  const component = (name: string, image: string): SystemPod => ({
    namespace: 'kube-system',
    name: `${name}-${controlPlane}`,
    suffixed: false,
    hostNetwork: true,
    serviceAccountName: 'default',
    owner: { apiVersion: 'v1', kind: 'Node', name: controlPlane },
    labels: { component: name, tier: 'control-plane' },
    containers: [{ name, image }],
    runs: true,
  });
  const pods = [
    component('etcd', 'registry.k8s.io/etcd:3.5.10-0'),
    component('kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.29.2'),
    component('kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.29.2'),
    component('kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.29.2'),
  ];
  if (install.spire) {
    pods.push({
      namespace: 'cilium-spire',
      name: 'spire-server-0',
      suffixed: false,
      hostNetwork: false,
      serviceAccountName: 'spire-server',
      owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'spire-server' },
      labels: { app: 'spire-server', 'statefulset.kubernetes.io/pod-name': 'spire-server-0', 'apps.kubernetes.io/pod-index': '0' },
      containers: [
        { name: 'cilium-init', image: images.busybox },
        {
          name: 'spire-server',
          image: images.spireServer,
          ports: [{ name: 'grpc', containerPort: 8081, protocol: 'TCP' }],
        },
      ],
      runs: true,
    });
  }
  return pods;
}

/** Tetragon's version, as its Helm chart of the Cilium 1.16 era installs it. */
export const TETRAGON_VERSION = 'v1.1.2';

/**
 * Tetragon as `helm install tetragon cilium/tetragon -n kube-system` leaves it: the `tetragon`
 * service account and one agent pod per node (DaemonSet `tetragon`, host network), with the
 * chart's `export-stdout` container first and the agent, `tetragon`, second.
 */
export function tetragonManifests(): Manifest[] {
  return [serviceAccount('kube-system', 'tetragon')];
}

export function tetragonPod(): SystemPod {
  const version = TETRAGON_VERSION.slice(1);
  return {
    namespace: 'kube-system',
    name: 'tetragon',
    suffixed: true,
    runs: true,
    hostNetwork: true,
    serviceAccountName: 'tetragon',
    owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'tetragon' },
    labels: {
      'app.kubernetes.io/instance': 'tetragon',
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/name': 'tetragon',
      'app.kubernetes.io/version': version,
      'helm.sh/chart': `tetragon-${version}`,
      'pod-template-generation': '1',
    },
    containers: [
      { name: 'export-stdout', image: 'quay.io/cilium/hubble-export-stdout:v1.0.4' },
      { name: 'tetragon', image: `quay.io/cilium/tetragon:${TETRAGON_VERSION}` },
    ],
  };
}
