import { describe, expect, it } from 'vitest';
import { formatGet } from '../../../src/kubectl/printers/get.ts';
import type { GetResult } from '../../../src/kubectl/printers/get.ts';
import { parseKubectl } from '../../../src/kubectl/args.ts';
import type { GetRequest } from '../../../src/kubectl/getArgs.ts';
import { lookupResourceType } from '../../../src/kubectl/resources.ts';
import type { KubeObject } from '../../../src/kubectl/objects.ts';

// Objects are written by hand in the API's own shapes (as `kubectl get -o json` would show them),
// so these tables pin kubectl's layout independently of the simulator's model.
const NOW = Date.parse('2024-01-01T00:05:00Z');
const CREATED = '2024-01-01T00:00:00Z';

function pod(name: string, ip: string, node: string, labels: Record<string, string>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, creationTimestamp: CREATED },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'docker.io/tgraf/netperf' }] },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
  };
}

const PODS = [
  pod('xwing', '10.244.1.12', 'kind-worker', { app: 'xwing', class: 'xwing', org: 'alliance' }),
  pod('deathstar-6c94dcc57b-2xzvp', '10.244.2.7', 'kind-worker2', { class: 'deathstar', org: 'empire' }),
  pod('tiefighter', '10.244.2.9', 'kind-worker2', { class: 'tiefighter', org: 'empire' }),
];

function get(argv: string[], results: (type: string) => readonly KubeObject[]) {
  const request = parseKubectl(['get', ...argv]) as GetRequest;
  const rs: GetResult[] = request.targets.map((t) => ({ type: t.type, objects: results(t.type.plural) }));
  return formatGet(request, rs, { nowMs: NOW });
}

describe('formatGet: tables', () => {
  it('prints pods sorted by name, columns three spaces apart', () => {
    expect(get(['pods'], () => PODS).stdout).toMatchInlineSnapshot(`
      "NAME                         READY   STATUS    RESTARTS   AGE
      deathstar-6c94dcc57b-2xzvp   1/1     Running   0          5m
      tiefighter                   1/1     Running   0          5m
      xwing                        1/1     Running   0          5m
      "
    `);
  });

  it('adds IP, NODE, NOMINATED NODE and READINESS GATES with -o wide', () => {
    expect(get(['pods', '-o', 'wide'], () => PODS).stdout).toMatchInlineSnapshot(`
      "NAME                         READY   STATUS    RESTARTS   AGE   IP            NODE           NOMINATED NODE   READINESS GATES
      deathstar-6c94dcc57b-2xzvp   1/1     Running   0          5m    10.244.2.7    kind-worker2   <none>           <none>
      tiefighter                   1/1     Running   0          5m    10.244.2.9    kind-worker2   <none>           <none>
      xwing                        1/1     Running   0          5m    10.244.1.12   kind-worker    <none>           <none>
      "
    `);
  });

  it('puts NAMESPACE first with -A and LABELS last with --show-labels', () => {
    const pods = [...PODS, pod('coredns-7db6d8ff4d-7kb9x', '10.244.0.3', 'kind-control-plane', { 'k8s-app': 'kube-dns' }, 'kube-system')];
    expect(get(['pods', '-A', '--show-labels'], () => pods).stdout).toMatchInlineSnapshot(`
      "NAMESPACE     NAME                         READY   STATUS    RESTARTS   AGE   LABELS
      default       deathstar-6c94dcc57b-2xzvp   1/1     Running   0          5m    class=deathstar,org=empire
      default       tiefighter                   1/1     Running   0          5m    class=tiefighter,org=empire
      default       xwing                        1/1     Running   0          5m    app=xwing,class=xwing,org=alliance
      kube-system   coredns-7db6d8ff4d-7kb9x     1/1     Running   0          5m    k8s-app=kube-dns
      "
    `);
  });

  it('omits the header with --no-headers', () => {
    expect(get(['pods', '--no-headers'], () => PODS.slice(0, 1)).stdout).toBe('xwing   1/1   Running   0     5m\n');
  });

  it('prints a waiting container reason and restarts with their age', () => {
    const crashing: KubeObject = {
      metadata: { name: 'web', namespace: 'default', creationTimestamp: CREATED },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:04:00Z' } },
          },
        ],
      },
    };
    expect(get(['pods'], () => [crashing]).stdout).toBe(
      'NAME   READY   STATUS             RESTARTS      AGE\nweb    1/2     CrashLoopBackOff   3 (60s ago)   5m\n',
    );
  });

  it('prints services with node ports, <none> and the selector in wide', () => {
    const svcs: KubeObject[] = [
      {
        metadata: { name: 'deathstar', namespace: 'default', creationTimestamp: CREATED },
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.141.40',
          ports: [{ port: 80, protocol: 'TCP' }],
          selector: { org: 'empire', class: 'deathstar' },
        },
      },
      {
        metadata: { name: 'front-end', namespace: 'default', creationTimestamp: CREATED },
        spec: { type: 'NodePort', clusterIP: '10.96.7.1', ports: [{ port: 80, nodePort: 30001 }] },
      },
    ];
    expect(get(['svc', '-o', 'wide'], () => svcs).stdout).toMatchInlineSnapshot(`
      "NAME        TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE   SELECTOR
      deathstar   ClusterIP   10.96.141.40   <none>        80/TCP         5m    class=deathstar,org=empire
      front-end   NodePort    10.96.7.1      <none>        80:30001/TCP   5m    <none>
      "
    `);
  });

  it('prints several types as separate tables with kind-qualified names', () => {
    const deploy: KubeObject = {
      metadata: { name: 'deathstar', namespace: 'default', creationTimestamp: CREATED },
      spec: { replicas: 2 },
      status: { readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    };
    expect(get(['pods,deploy'], (r) => (r === 'pods' ? PODS.slice(0, 1) : [deploy])).stdout).toMatchInlineSnapshot(`
      "NAME        READY   STATUS    RESTARTS   AGE
      pod/xwing   1/1     Running   0          5m

      NAME                        READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/deathstar   2/2     2            2           5m
      "
    `);
  });

  it('prints CiliumEndpoints with the enforcement columns only in wide', () => {
    const cep: KubeObject = {
      metadata: { name: 'xwing', namespace: 'default', creationTimestamp: CREATED },
      status: {
        id: 1234,
        identity: { id: 16530 },
        state: 'ready',
        networking: { addressing: [{ ipv4: '10.244.1.12' }] },
        policy: { ingress: { state: 'enforcing' }, egress: { state: 'non-enforcing' } },
      },
    };
    expect(get(['cep'], () => [cep]).stdout).toMatchInlineSnapshot(`
      "NAME    SECURITY IDENTITY   ENDPOINT STATE   IPV4          IPV6
      xwing   16530               ready            10.244.1.12   
      "
    `);
    expect(get(['cep', '-o', 'wide'], () => [cep]).stdout).toMatchInlineSnapshot(`
      "NAME    SECURITY IDENTITY   INGRESS ENFORCEMENT   EGRESS ENFORCEMENT   ENDPOINT STATE   IPV4          IPV6
      xwing   16530               enforcing             non-enforcing        ready            10.244.1.12   
      "
    `);
  });

  it('prints CiliumNetworkPolicies with AGE and VALID, and identities with their namespace', () => {
    const cnp: KubeObject = {
      metadata: { name: 'rule1', namespace: 'default', creationTimestamp: CREATED },
      status: { conditions: [{ type: 'Valid', status: 'True' }] },
    };
    expect(get(['cnp'], () => [cnp]).stdout).toBe('NAME    AGE   VALID\nrule1   5m    True\n');
    const id: KubeObject = {
      metadata: { name: '16530', labels: { 'io.kubernetes.pod.namespace': 'default' }, creationTimestamp: CREATED },
    };
    expect(get(['ciliumidentities'], () => [id]).stdout).toBe('NAME    NAMESPACE   AGE\n16530   default     5m\n');
  });
});

describe('formatGet: nothing found', () => {
  it('says so on stderr, naming the namespace', () => {
    expect(get(['pods', '-n', 'kube-system'], () => [])).toEqual({
      stdout: '',
      stderr: 'No resources found in kube-system namespace.\n',
      exitCode: 0,
    });
  });

  it('names no namespace with -A or for cluster-scoped types', () => {
    expect(get(['pods', '-A'], () => []).stderr).toBe('No resources found\n');
    expect(get(['ccnp'], () => []).stderr).toBe('No resources found\n');
  });
});

describe('formatGet: -o name, yaml, json', () => {
  it('prints kind/name with the API group for non-core types', () => {
    const d: KubeObject = { metadata: { name: 'deathstar', namespace: 'default' } };
    expect(get(['deploy', '-o', 'name'], () => [d]).stdout).toBe('deployment.apps/deathstar\n');
    expect(get(['pods', '-o', 'name'], () => PODS.slice(0, 1)).stdout).toBe('pod/xwing\n');
  });

  it('prints one named object itself, with sorted keys and quoted numeric strings', () => {
    const id: KubeObject = { metadata: { name: '16530', creationTimestamp: CREATED }, 'security-labels': { 'k8s:org': 'empire' } };
    expect(get(['ciliumidentity', '16530', '-o', 'yaml'], () => [id]).stdout).toMatchInlineSnapshot(`
      "apiVersion: cilium.io/v2
      kind: CiliumIdentity
      metadata:
        creationTimestamp: "2024-01-01T00:00:00Z"
        name: "16530"
      security-labels:
        k8s:org: empire
      "
    `);
  });

  it('wraps lists in a List, four-space indented in JSON', () => {
    const ns: KubeObject = { metadata: { name: 'default' }, status: { phase: 'Active' } };
    expect(get(['ns', '-o', 'json'], () => [ns]).stdout).toMatchInlineSnapshot(`
      "{
          "apiVersion": "v1",
          "items": [
              {
                  "apiVersion": "v1",
                  "kind": "Namespace",
                  "metadata": {
                      "name": "default"
                  },
                  "status": {
                      "phase": "Active"
                  }
              }
          ],
          "kind": "List",
          "metadata": {
              "resourceVersion": ""
          }
      }
      "
    `);
  });

  it('evaluates jsonpath on the List, printing no trailing newline', () => {
    expect(get(['pods', '-o', 'jsonpath={.items[*].metadata.name}'], () => PODS).stdout).toBe(
      'deathstar-6c94dcc57b-2xzvp tiefighter xwing',
    );
    expect(get(['pod', 'xwing', '-o', 'jsonpath={.status.podIP}'], () => PODS.slice(0, 1)).stdout).toBe('10.244.1.12');
  });

  it("prints the evaluator's error as kubectl does", () => {
    const out = get(['pods', '-o', 'jsonpath={.items[}'], () => PODS);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^error: error parsing jsonpath/);
  });

  it('evaluates jsonpath with the evaluator it is given', () => {
    const request = parseKubectl(['get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}']) as GetRequest;
    const type = lookupResourceType('pods')!;
    const out = formatGet(request, [{ type, objects: PODS }], {
      nowMs: NOW,
      evaluateJsonPath: (template, data) => `${template}:${((data as { items: KubeObject[] }).items[0]!).metadata.name}`,
    });
    expect(out.stdout).toBe('{.items[0].metadata.name}:deathstar-6c94dcc57b-2xzvp');
  });
});
