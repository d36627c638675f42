import { CILIUM_MINORS } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// A cluster per Cilium version, inspected as a learner would: cilium version, cilium status, and
// kubectl's view of the same workloads. The box must agree with kubectl under every version.
function cluster(ciliumVersion: string) {
  return createSimulator({ seed: 1, ciliumVersion }, nodeHostFiles(process.cwd())).session;
}

/** kubectl's DaemonSets and Deployments of kube-system as `Kind/name desired`, Cilium's own only. */
function kubectlWorkloads(session: ReturnType<typeof cluster>): string[] {
  const rows = (kind: string, type: string, desired: string): string[] =>
    session
      .run(`kubectl get ${type} -n kube-system -o jsonpath='{range .items[*]}${kind}/{.metadata.name} {${desired}}{"\\n"}{end}'`)
      .stdout.trim()
      .split('\n');
  return [...rows('DaemonSet', 'ds', '.status.desiredNumberScheduled'), ...rows('Deployment', 'deploy', '.spec.replicas')]
    .filter((l) => /\/(cilium|cilium-envoy|cilium-operator|hubble-relay|hubble-ui) /.test(l))
    .sort();
}

/** The `DaemonSet|Deployment NAME Desired: N` rows of cilium status. */
function statusWorkloads(status: string): string[] {
  return [...status.matchAll(/^(DaemonSet|Deployment) +(\S+) +Desired: (\d+)/gm)].map((m) => `${m[1]}/${m[2]} ${m[3]}`).sort();
}

/** `cilium status`'s image rows as `image count`, against the images the pods run. */
function statusImages(status: string): string[] {
  return [...status.matchAll(/ (quay\.io\/\S+): (\d+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

/** The images of the pods of those workloads, with how many pods run each. */
function podImages(session: ReturnType<typeof cluster>): string[] {
  const out = session.run(
    `kubectl get pods -n kube-system -o jsonpath='{range .items[*]}{range .spec.containers[*]}{.image}{"\\n"}{end}{end}'`,
  );
  const counts = new Map<string, number>();
  for (const image of out.stdout
    .trim()
    .split('\n')
    .filter((i) => i.startsWith('quay.io/cilium/'))) {
    counts.set(image, (counts.get(image) ?? 0) + 1);
  }
  return [...counts].map(([image, n]) => `${image} ${n}`).sort();
}

describe.each(CILIUM_MINORS)('Cilium %s', (version) => {
  const session = cluster(version);
  const status = session.run('cilium status').stdout;

  it('reports in cilium status the workloads and images kubectl lists', () => {
    expect(statusWorkloads(status)).toEqual(kubectlWorkloads(session));
    expect(statusImages(status)).toEqual(podImages(session));
    expect(status).toMatch(new RegExp(`^Helm chart version: +${version.replace('.', '\\.')}\\.\\d+$`, 'm'));
  });

  it('runs the Envoy DaemonSet from 1.16, and no kube-proxy under kube-proxy replacement', () => {
    const daemonSets = session.run('kubectl get ds -A -o name').stdout;
    expect(daemonSets.includes('daemonset.apps/cilium-envoy')).toBe(version >= '1.16');
    expect(daemonSets).not.toContain('kube-proxy');
    expect(session.run('cilium config view').stdout).toMatch(/^kube-proxy-replacement +true$/m);
    expect(session.run('kubectl -n kube-system get deploy hubble-relay hubble-ui -o name').stdout).toBe(
      'deployment.apps/hubble-relay\ndeployment.apps/hubble-ui\n',
    );
  });

  it('restarts the agents on a config change: new pods, 0s old, logging the start-up lines of the version', () => {
    const s = cluster(version);
    const agents = (): string[] =>
      s
        .run(`kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}'`)
        .stdout.trim()
        .split('\n');
    const before = agents();

    expect(s.run('cilium config set debug true').stdout).toContain('♻️  Restarted Cilium pods');
    const after = agents();
    s.run('sleep 10');

    expect(after).toHaveLength(before.length);
    expect(after.filter((p) => before.includes(p))).toEqual([]);
    expect(s.run('kubectl -n kube-system get pods -l k8s-app=cilium --no-headers').stdout).toMatch(
      /^(cilium-\w{5} +1\/1 +Running +0 +10s\n)+$/,
    );
    const log = s.run(`kubectl -n kube-system logs ${after[0]}`).stdout;
    expect(log).toMatch(new RegExp(`msg="Cilium ${version.replace('.', '\\.')}\\.\\d+ go version go\\S+ linux/amd64"`));
    expect(log).toContain('msg="Daemon initialization completed"');
    expect(statusWorkloads(s.run('cilium status').stdout)).toEqual(kubectlWorkloads(s));
  });

  it("prints the running version in cilium version and the agent's", () => {
    expect(session.run('cilium version').stdout).toMatch(
      new RegExp(`^cilium image \\(running\\): ${version.replace('.', '\\.')}\\.\\d+$`, 'm'),
    );
    const agentCli = version === '1.14' ? 'cilium' : 'cilium-dbg';
    expect(session.run(`kubectl -n kube-system exec ds/cilium -c cilium-agent -- ${agentCli} version`).stdout).toMatch(
      new RegExp(`^Client: ${version.replace('.', '\\.')}\\.\\d+ go version go\\S+ linux/amd64\\nDaemon: `),
    );
  });
});

describe('cilium status per version, pinned', () => {
  it('1.14: Envoy embedded, no cilium-envoy DaemonSet', () => {
    expect(cluster('1.14').run('cilium status').stdout).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    disabled (using embedded mode)
       \\__/¯¯\\__/    Hubble Relay:       OK
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium             Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator    Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-relay       Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-ui          Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium             Running: 3
                             cilium-operator    Running: 1
                             hubble-relay       Running: 1
                             hubble-ui          Running: 1
      Cluster Pods:          6/6 managed by Cilium
      Helm chart version:    1.14.14
      Image versions         cilium             quay.io/cilium/cilium:v1.14.14: 3
                             cilium-operator    quay.io/cilium/operator-generic:v1.14.14: 1
                             hubble-relay       quay.io/cilium/hubble-relay:v1.14.14: 1
                             hubble-ui          quay.io/cilium/hubble-ui-backend:v0.13.1: 1
                             hubble-ui          quay.io/cilium/hubble-ui:v0.13.1: 1
      "
    `);
  });

  it('1.16 (the labs): the Envoy DaemonSet, Hubble Relay and UI', () => {
    expect(cluster('1.16').run('cilium status').stdout).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK
       \\__/¯¯\\__/    Hubble Relay:       OK
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium             Desired: 3, Ready: 3/3, Available: 3/3
      DaemonSet              cilium-envoy       Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator    Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-relay       Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-ui          Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium             Running: 3
                             cilium-envoy       Running: 3
                             cilium-operator    Running: 1
                             hubble-relay       Running: 1
                             hubble-ui          Running: 1
      Cluster Pods:          6/6 managed by Cilium
      Helm chart version:    1.16.0
      Image versions         cilium             quay.io/cilium/cilium:v1.16.0: 3
                             cilium-envoy       quay.io/cilium/cilium-envoy:v1.29.7-39a2a56bbd5b3a591f69dbca51d3e30ef97e0e51: 3
                             cilium-operator    quay.io/cilium/operator-generic:v1.16.0: 1
                             hubble-relay       quay.io/cilium/hubble-relay:v1.16.0: 1
                             hubble-ui          quay.io/cilium/hubble-ui-backend:v0.13.1: 1
                             hubble-ui          quay.io/cilium/hubble-ui:v0.13.1: 1
      "
    `);
  });

  it('1.18: cilium-cli v0.18 lists clustermesh-apiserver without a count', () => {
    expect(cluster('1.18').run('cilium status').stdout).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK
       \\__/¯¯\\__/    Hubble Relay:       OK
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium                   Desired: 3, Ready: 3/3, Available: 3/3
      DaemonSet              cilium-envoy             Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator          Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-relay             Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-ui                Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium                   Running: 3
                             cilium-envoy             Running: 3
                             cilium-operator          Running: 1
                             clustermesh-apiserver    
                             hubble-relay             Running: 1
                             hubble-ui                Running: 1
      Cluster Pods:          6/6 managed by Cilium
      Helm chart version:    1.18.2
      Image versions         cilium             quay.io/cilium/cilium:v1.18.2: 3
                             cilium-envoy       quay.io/cilium/cilium-envoy:v1.34.7-1757592137-1a52bb680a956879722f48c591a2ca90f7791324: 3
                             cilium-operator    quay.io/cilium/operator-generic:v1.18.2: 1
                             hubble-relay       quay.io/cilium/hubble-relay:v1.18.2: 1
                             hubble-ui          quay.io/cilium/hubble-ui-backend:v0.13.3: 1
                             hubble-ui          quay.io/cilium/hubble-ui:v0.13.3: 1
      "
    `);
  });

  it('1.20', () => {
    expect(cluster('1.20').run('cilium version').stdout).toMatchInlineSnapshot(`
      "cilium-cli: v0.20.1 compiled with go1.27.1 on linux/amd64
      cilium image (default): v1.20.1
      cilium image (stable): v1.20.1
      cilium image (running): 1.20.0
      "
    `);
    expect(cluster('1.20').run('cilium status').stdout).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK
       \\__/¯¯\\__/    Hubble Relay:       OK
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium                   Desired: 3, Ready: 3/3, Available: 3/3
      DaemonSet              cilium-envoy             Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator          Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-relay             Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-ui                Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium                   Running: 3
                             cilium-envoy             Running: 3
                             cilium-operator          Running: 1
                             clustermesh-apiserver    
                             hubble-relay             Running: 1
                             hubble-ui                Running: 1
      Cluster Pods:          6/6 managed by Cilium
      Helm chart version:    1.20.0
      Image versions         cilium             quay.io/cilium/cilium:v1.20.0: 3
                             cilium-envoy       quay.io/cilium/cilium-envoy:v1.37.5-1782911245-7cffc778c923f68a77954a53b1a98d6b5353f004: 3
                             cilium-operator    quay.io/cilium/operator-generic:v1.20.0: 1
                             hubble-relay       quay.io/cilium/hubble-relay:v1.20.0: 1
                             hubble-ui          quay.io/cilium/hubble-ui-backend:v0.13.5: 1
                             hubble-ui          quay.io/cilium/hubble-ui:v0.13.5: 1
      "
    `);
  });
});

describe('the agent pod before and after cilium-dbg', () => {
  it('has no cilium-dbg in 1.14, whose agent CLI is cilium', () => {
    const session = cluster('1.14');
    const r = session.run('kubectl -n kube-system exec ds/cilium -c cilium-agent -- cilium-dbg status');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('exec: "cilium-dbg": executable file not found in $PATH: unknown');
    expect(session.run('kubectl -n kube-system exec ds/cilium -c cilium-agent -- cilium status').stdout).toMatch(
      /^KVStore: +Ok +Disabled$/m,
    );
  });
});

describe("Cilium's policy CRDs per version", () => {
  const POLICIES = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: allow-dns
spec:
  endpointSelector: {}
  egress:
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: kube-system
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: lockdown
spec:
  endpointSelector: {}
  ingress:
    - fromEntities: [cluster]
`;

  function headers(version: string): string[] {
    const { session } = createSimulator(
      { seed: 1, ciliumVersion: version },
      nodeHostFiles(process.cwd()),
      new Map([['policies.yaml', POLICIES]]),
    );
    expect(session.run('kubectl apply -f policies.yaml').exitCode).toBe(0);
    return ['cnp', 'ccnp'].map((t) => session.run(`kubectl get ${t}`).stdout.split('\n')[0]!.split(/ +/).join(' '));
  }

  it('print NAME AGE before 1.17, whose CRDs declare no columns, and the VALID column from 1.17', () => {
    expect(headers('1.16')).toEqual(['NAME AGE', 'NAME AGE']);
    expect(headers('1.17')).toEqual(['NAME AGE VALID', 'NAME VALID']);
  });
});
