// `tetra getevents` in Tetragon's agent pod, as the Tetragon labs run it: a cluster with Tetragon
// (`--tetragon`), the Star Wars demo and its L3/L4 policy, read from the scenarios package.
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const STAR_WARS = new URL('../../../scenarios/scenarios/star-wars/manifests/', import.meta.url).pathname;

function lab(): Simulator {
  const sim = createSimulator({ seed: 1, tetragon: true }, nodeHostFiles(STAR_WARS));
  sim.session.run('kubectl apply -f http-sw-app.yaml');
  sim.session.run('kubectl apply -f sw_l3_l4_policy.yaml');
  return sim;
}

/** The Tetragon pod on the node of `pod`, as Tetragon's docs find it. */
const TETRAGON_POD = (pod: string): string =>
  `POD=$(kubectl -n kube-system get pods -l 'app.kubernetes.io/name=tetragon' -o name --field-selector spec.nodeName=$(kubectl get pod ${pod} -o jsonpath='{.spec.nodeName}'))`;

describe('tetra getevents -o compact', () => {
  it('prints the exec, connect and exit of a curl the policy denied (exit 28 after the timeout)', () => {
    const sim = lab();
    const curl = sim.session.run(
      'kubectl exec xwing -- curl -s -XPOST --connect-timeout 2 http://deathstar.default.svc.cluster.local/v1/request-landing',
    );
    sim.session.run(TETRAGON_POD('xwing'));

    const r = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact --pods xwing');

    expect(curl.stderr).toBe('command terminated with exit code 28\n');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "🚀 process default/xwing /usr/bin/curl -s -XPOST --connect-timeout 2 http://deathstar.default.svc.cluster.local/v1/request-landing
      🔌 connect default/xwing /usr/bin/curl tcp 10.244.2.175:57501 -> 10.244.1.100:80
      💥 exit    default/xwing /usr/bin/curl -s -XPOST --connect-timeout 2 http://deathstar.default.svc.cluster.local/v1/request-landing 28
      "
    `);
  });

  it('prints the exec, connect and exit of a curl that landed (exit 0)', () => {
    const sim = lab();
    const curl = sim.session.run('kubectl exec tiefighter -- curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing');
    sim.session.run(TETRAGON_POD('tiefighter'));

    const r = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact --pods tiefighter');

    expect(curl.stdout).toBe('Ship landed\n');
    expect(r.stdout).toMatchInlineSnapshot(`
      "🚀 process default/tiefighter /usr/bin/curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing
      🔌 connect default/tiefighter /usr/bin/curl tcp 10.244.1.150:57501 -> 10.244.1.100:80
      💥 exit    default/tiefighter /usr/bin/curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing 0
      "
    `);
  });

  it("shows bash -c as Tetragon's docs do: the shell, then curl in its place, and curl's exit only", () => {
    const sim = lab();
    sim.session.run("kubectl exec tiefighter -- bash -c 'curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing'");
    sim.session.run(TETRAGON_POD('tiefighter'));

    const r = sim.session.run(
      'kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact --pod tiefighter --event-types PROCESS_EXEC,PROCESS_EXIT',
    );

    expect(r.stdout.split('\n')).toEqual([
      '🚀 process default/tiefighter /bin/bash -c "curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing"',
      '🚀 process default/tiefighter /usr/bin/curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing',
      '💥 exit    default/tiefighter /usr/bin/curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing 0',
      '',
    ]);
  });

  it('filters by process and prefixes timestamps with nine fraction digits', () => {
    const sim = lab();
    sim.session.run("kubectl exec tiefighter -- sh -c 'nslookup deathstar; curl -s http://deathstar/v1/ -o /dev/null'");
    sim.session.run(TETRAGON_POD('tiefighter'));

    const r = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact --process nslookup --timestamps');

    expect(r.stdout.split('\n').map((l) => l.replace(/^\S+ /, 'TIME '))).toEqual([
      'TIME 🚀 process default/tiefighter /usr/bin/nslookup deathstar',
      'TIME 💥 exit    default/tiefighter /usr/bin/nslookup deathstar 0',
      '',
    ]);
    expect(r.stdout).toMatch(/^2024-07-04T17:58:0\d\.\d{9}Z 🚀/);
  });

  it('colours the compact output on a terminal (-t), as tetra does with --color auto', () => {
    const sim = lab();
    sim.session.run('kubectl exec tiefighter -- curl -s http://deathstar/v1/ -o /dev/null');
    sim.session.run(TETRAGON_POD('tiefighter'));

    const r = sim.session.run('kubectl exec -ti -n kube-system $POD -c tetragon -- tetra getevents -o compact --event-types PROCESS_EXIT');

    expect(r.stdout).toBe(
      '\x1b[34m💥 exit   \x1b[0m \x1b[32mdefault/tiefighter\x1b[0m \x1b[35m/usr/bin/curl\x1b[0m \x1b[36m-s http://deathstar/v1/ -o /dev/null\x1b[0m \x1b[31m0\x1b[0m\n',
    );
  });

  it('names the node for a command run on the node itself', () => {
    const sim = lab();
    sim.session.run('docker exec kind-worker curl -s -o /dev/null http://deathstar.default.svc.cluster.local/v1/');

    const r = sim.session.run(
      'kubectl exec -n kube-system $(kubectl -n kube-system get pods -l app.kubernetes.io/name=tetragon --field-selector spec.nodeName=kind-worker -o name) -c tetragon -- tetra getevents -o compact --host --event-types PROCESS_EXEC',
    );

    expect(r.stdout).toBe('🚀 process kind-worker /usr/bin/curl -s -o /dev/null http://deathstar.default.svc.cluster.local/v1/\n');
  });
});

describe('tetra getevents -o json', () => {
  it("prints one JSON object per line, each a GetEventsResponse of the pod's node", () => {
    const sim = lab();
    sim.session.run('kubectl exec xwing -- curl -s --connect-timeout 1 http://deathstar/v1/');
    sim.session.run(TETRAGON_POD('xwing'));

    const r = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents --namespace default');

    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l)[0])).toEqual(['process_exec', 'process_kprobe', 'process_exit']);
    const node = sim.cluster.get('Pod', 'xwing', 'default')?.spec.nodeName;
    expect(lines.every((l) => l['node_name'] === node)).toBe(true);
    expect((lines[2]!['process_exit'] as { status: number }).status).toBe(28);
  });

  it('does not show the tetra process itself, which starts after the events it prints', () => {
    const sim = lab();
    sim.session.run(TETRAGON_POD('xwing'));
    const first = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact');
    const second = sim.session.run('kubectl exec -n kube-system $POD -c tetragon -- tetra getevents -o compact');

    expect(first.stdout).toBe('');
    expect(second.stdout).toMatch(
      /^🚀 process kube-system\/tetragon-\w+ \/usr\/bin\/tetra getevents -o compact\n💥 exit {4}kube-system\/tetragon-\w+ \/usr\/bin\/tetra getevents -o compact 0\n$/,
    );
  });
});

describe('tetra refusals', () => {
  it.each([
    ['getevents -o xml', 'Error: invalid value for "output" flag: xml\n'],
    ['getevents --color sometimes', 'Error: invalid value for "color" flag: sometimes\n'],
    [
      'getevents -e PROCESS_FORK',
      'Error: invalid value for "event-types" flag: PROCESS_FORK. Supported are UNDEF, PROCESS_EXEC, PROCESS_EXIT, PROCESS_KPROBE, PROCESS_TRACEPOINT, PROCESS_LOADER, PROCESS_UPROBE, TEST, RATE_LIMIT_INFO\n',
    ],
    ['getevents --bogus', 'Error: unknown flag: --bogus\n'],
    ['frobnicate', 'Error: unknown command "frobnicate" for "tetra"\nRun \'tetra --help\' for usage.\n'],
  ])('tetra %s', (args, stderr) => {
    const sim = lab();
    const r = sim.session.run(`kubectl exec -n kube-system ds/tetragon -c tetragon -- tetra ${args}`);
    expect([r.stderr, r.exitCode]).toEqual([`${stderr}command terminated with exit code 1\n`, 1]);
  });

  it('is not in the first container, export-stdout, which kubectl picks without -c', () => {
    const sim = lab();
    const r = sim.session.run('kubectl exec -n kube-system ds/tetragon -- tetra getevents');
    expect(r.stderr.split('\n')[0]).toBe('Defaulted container "export-stdout" out of: export-stdout, tetragon');
    expect(r.stderr).toContain('exec: "tetra": executable file not found in $PATH');
    expect(r.exitCode).toBe(126);
  });
});
