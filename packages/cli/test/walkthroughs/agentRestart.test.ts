import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// `cilium config set` restarts the agents as cilium-cli does (it deletes the agent pods): new pod
// names, age 0s, and each new pod's log starts with the agent's start-up lines. The lab's own
// walkthrough does this with `cilium config set debug true` before anything else.
function session(ciliumVersion?: string) {
  return createSimulator({ seed: 1, ...(ciliumVersion === undefined ? {} : { ciliumVersion }) }, nodeHostFiles(process.cwd())).session;
}

const AGENT_PODS = 'kubectl -n kube-system get pods -l k8s-app=cilium';
const WORKER_AGENT = `${AGENT_PODS} -o jsonpath='{.items[?(@.spec.nodeName=="kind-worker")].metadata.name}'`;

describe('cilium config set restarts the Cilium agents', () => {
  it('replaces the agent pods with new ones, 0s old, and says so', () => {
    const s = session();
    const before = s.run(AGENT_PODS).stdout;

    const set = s.run('cilium config set debug true');

    expect(set.stdout).toBe('✨ Patching ConfigMap cilium-config with debug=true...\n♻️  Restarted Cilium pods\n');
    expect(before).toMatchInlineSnapshot(`
      "NAME           READY   STATUS    RESTARTS   AGE
      cilium-djh85   1/1     Running   0          10m
      cilium-g52t2   1/1     Running   0          10m
      cilium-hh4v6   1/1     Running   0          10m
      "
    `);
    expect(s.run(AGENT_PODS).stdout).toMatchInlineSnapshot(`
      "NAME           READY   STATUS    RESTARTS   AGE
      cilium-8sd62   1/1     Running   0          0s
      cilium-9d6q4   1/1     Running   0          0s
      cilium-9mf9h   1/1     Running   0          0s
      "
    `);
    const old = /^(cilium-\w{5})/m.exec(before)![1]!;
    expect(s.run(`kubectl -n kube-system logs ${old}`).stderr).toBe(`Error from server (NotFound): pods "${old}" not found\n`);
  });

  it("starts the new agent's log with its start-up lines, which appear as the clock reaches them", () => {
    const s = session();
    s.run('cilium config set debug true');
    const pod = s.run(WORKER_AGENT).stdout;

    const atOnce = s.run(`kubectl -n kube-system logs ${pod}`).stdout;
    s.run('sleep 10');
    const later = s.run(`kubectl -n kube-system logs ${pod} | grep -v -- "  --"`).stdout;

    expect(atOnce).toContain(`level=info msg="  --debug='true'" subsys=daemon`);
    expect(atOnce).not.toContain('Daemon initialization completed');
    expect(later).toMatchInlineSnapshot(`
      "time="2024-07-04T17:58:00Z" level=info msg="     _ _ _" subsys=daemon
      time="2024-07-04T17:58:00Z" level=info msg=" ___|_| |_|_ _ _____" subsys=daemon
      time="2024-07-04T17:58:00Z" level=info msg="|  _| | | | | |     |" subsys=daemon
      time="2024-07-04T17:58:00Z" level=info msg="|___|_|_|_|___|_|_|_|" subsys=daemon
      time="2024-07-04T17:58:00Z" level=info msg="Cilium 1.16.0 go version go1.22.5 linux/amd64" subsys=daemon
      time="2024-07-04T17:58:04Z" level=info msg="Daemon initialization completed" bootstrapTime=4.5388371s subsys=daemon
      "
    `);
  });

  it('leaves the pods alone with --restart=false', () => {
    const s = session();
    const before = s.run(AGENT_PODS).stdout;

    expect(s.run('cilium config set debug true --restart=false').stdout).toContain(
      '⚠️  Restart Cilium pods for configmap changes to take effect',
    );
    expect(s.run(AGENT_PODS).stdout).toBe(before);
  });

  it('restarts on cilium config delete too, each restart naming its pods anew', () => {
    const s = session();
    s.run('cilium config set debug true');
    const first = s.run(WORKER_AGENT).stdout;
    s.run('cilium config delete debug');
    const second = s.run(WORKER_AGENT).stdout;

    expect(second).not.toBe(first);
    expect(s.run(`kubectl -n kube-system logs ${second}`).stdout).toContain(`msg="  --cluster-name='kind-kind'"`);
    expect(s.run(`kubectl -n kube-system logs ${second}`).stdout).not.toContain('--debug=');
  });
});

describe('agent log lines as kubectl logs prints them', () => {
  it('carries logrus\'s time="..." up to 1.17, after kubectl\'s own --timestamps', () => {
    const s = session('1.17');
    const pod = s.run(WORKER_AGENT).stdout;

    expect(s.run(`kubectl -n kube-system logs ${pod} --timestamps | tail -3`).stdout).toMatchInlineSnapshot(`
      "2024-07-04T17:48:00.000000000Z time="2024-07-04T17:48:00Z" level=info msg="Cilium 1.17.6 go version go1.24.5 linux/amd64" subsys=daemon
      2024-07-04T17:48:05.320000000Z time="2024-07-04T17:48:05Z" level=info msg="Daemon initialization completed" bootstrapTime=5.320509707s subsys=daemon
      2024-07-04T17:58:00.000000000Z time="2024-07-04T17:58:00Z" level=info msg="Connecting to SPIRE Delegate API Client" subsys=spire-delegate
      "
    `);
  });

  it("uses slog's text format from 1.18: time unquoted, attributes in call order", () => {
    const s = session('1.18');
    const pod = s.run(WORKER_AGENT).stdout;

    expect(s.run(`kubectl -n kube-system logs ${pod} | tail -3`).stdout).toMatchInlineSnapshot(`
      "time=2024-07-04T17:48:00Z level=info msg="Cilium 1.18.2 go version go1.24.7 linux/amd64" subsys=daemon
      time=2024-07-04T17:48:05.32Z level=info msg="Daemon initialization completed" subsys=daemon bootstrapTime=5.320509707s
      time=2024-07-04T17:58:00Z level=info msg="Connecting to SPIRE Delegate API Client" subsys=spire-delegate
      "
    `);
  });
});
