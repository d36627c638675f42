import { describe, expect, it } from 'vitest';
import { parseKubectl } from '../../src/kubectl/args.ts';
import { UsageError } from '../../src/tools/usageError.ts';

function usageError(argv: string[]): UsageError {
  try {
    parseKubectl(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseKubectl: get', () => {
  it('resolves short names and reads namespace, selector and output', () => {
    const r = parseKubectl(['get', 'po', '-n', 'kube-system', '-l', 'k8s-app=cilium', '-o', 'wide']);
    expect(r).toMatchObject({
      verb: 'get',
      namespace: 'kube-system',
      namespaceGiven: true,
      selector: 'k8s-app=cilium',
      output: { format: 'wide' },
    });
    expect(r.verb === 'get' && r.targets.map((t) => t.type.plural)).toEqual(['pods']);
  });

  it('takes global flags before the verb and -o=FORMAT / -oFORMAT spellings', () => {
    expect(parseKubectl(['-n', 'default', 'get', 'cnp', '-o=yaml'])).toMatchObject({ namespace: 'default', output: { format: 'yaml' } });
    expect(parseKubectl(['get', 'svc', '-ojson'])).toMatchObject({ output: { format: 'json' } });
  });

  it('reads jsonpath templates, with or without their own quotes', () => {
    expect(parseKubectl(['get', 'cep', '-o', 'jsonpath={.items[0].status.identity.id}'])).toMatchObject({
      output: { format: 'jsonpath', template: '{.items[0].status.identity.id}' },
    });
    expect(parseKubectl(['get', 'cep', "-o=jsonpath='{.items[*].metadata.name}'"])).toMatchObject({
      output: { template: '{.items[*].metadata.name}' },
    });
  });

  it('expands TYPE,TYPE, TYPE/NAME and all', () => {
    const multi = parseKubectl(['get', 'pods,svc', '-A']);
    expect(multi.verb === 'get' && multi.targets.map((t) => t.type.plural)).toEqual(['pods', 'services']);
    expect(multi).toMatchObject({ allNamespaces: true });
    const slash = parseKubectl(['get', 'pod/xwing', 'deployments.apps/deathstar']);
    expect(slash.verb === 'get' && slash.targets.map((t) => [t.type.kind, t.names])).toEqual([
      ['Pod', ['xwing']],
      ['Deployment', ['deathstar']],
    ]);
    const all = parseKubectl(['get', 'all']);
    expect(all.verb === 'get' && all.targets.map((t) => t.type.plural)).toContain('deployments');
  });

  it('implies a single item for one name of one type', () => {
    expect(parseKubectl(['get', 'ciliumidentity', '16530', '-o', 'yaml'])).toMatchObject({ singleItemImplied: true });
    expect(parseKubectl(['get', 'ciliumidentities', '-o', 'yaml'])).toMatchObject({ singleItemImplied: false });
  });

  it('refuses an unknown resource type as the API server does', () => {
    const e = usageError(['get', 'foo']);
    expect(e.code).toBe('INVALID_COMMAND');
    expect(e.stderr).toBe('error: the server doesn\'t have a resource type "foo"\n');
    expect(e.exitCode).toBe(1);
  });

  it("refuses an unknown flag with kubectl's usage hint", () => {
    const e = usageError(['get', 'pods', '--bogus']);
    expect(e).toMatchObject({ code: 'INVALID_FLAG', object: 'kubectl get', path: '--bogus' });
    expect(e.stderr).toBe("error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n");
  });

  it('refuses --watch with an explanation', () => {
    expect(usageError(['get', 'pods', '-w']).stderr).toMatch(/^error: --watch is not supported/);
  });

  it('refuses an unknown output format, listing the allowed ones', () => {
    expect(usageError(['get', 'pods', '-o', 'xml']).stderr).toMatch(
      /^error: unable to match a printer suitable for the output format "xml", allowed formats are: /,
    );
  });
});

describe('parseKubectl: apply, create, delete', () => {
  it('reads files, namespace and dry-run', () => {
    expect(parseKubectl(['apply', '-f', 'a.yaml', '-f', 'https://x/b.yaml', '--dry-run=server'])).toMatchObject({
      verb: 'apply',
      files: ['a.yaml', 'https://x/b.yaml'],
      dryRun: 'server',
    });
    expect(parseKubectl(['create', '-f', 'a.yaml', '-n', 'team'])).toMatchObject({ verb: 'create', namespace: 'team' });
  });

  it('requires -f', () => {
    expect(usageError(['apply']).stderr).toBe('error: must specify one of -f and -k\n');
  });

  it("rejects a bad dry-run value with kubectl's message", () => {
    expect(usageError(['apply', '-f', 'a.yaml', '--dry-run=maybe']).stderr).toBe(
      'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n',
    );
  });

  it('deletes by file, by name, by selector', () => {
    expect(parseKubectl(['delete', '-f', 'rule.yaml'])).toMatchObject({ verb: 'delete', files: ['rule.yaml'] });
    const byName = parseKubectl(['delete', 'cnp', 'rule1', 'rule2']);
    expect(byName.verb === 'delete' && byName.targets[0]!.names).toEqual(['rule1', 'rule2']);
    expect(parseKubectl(['delete', 'pods', '-l', 'org=empire'])).toMatchObject({ selector: 'org=empire' });
  });

  it('refuses a type without names', () => {
    expect(usageError(['delete', 'pods']).stderr).toBe('error: resource(s) were provided, but no name was specified\n');
  });
});

describe('parseKubectl: label, scale, run', () => {
  it('splits label changes into sets and removals', () => {
    expect(parseKubectl(['label', 'pod', 'xwing', 'org=alliance', 'class-', '--overwrite'])).toMatchObject({
      verb: 'label',
      set: { org: 'alliance' },
      remove: ['class'],
      overwrite: true,
    });
  });

  it('requires a label change', () => {
    expect(usageError(['label', 'pod', 'xwing']).stderr).toBe('error: at least one label update is required\n');
  });

  it('reads --replicas and refuses a missing or non-numeric one', () => {
    expect(parseKubectl(['scale', 'deployment', 'deathstar', '--replicas=3'])).toMatchObject({ verb: 'scale', replicas: 3 });
    expect(usageError(['scale', 'deploy/deathstar']).stderr).toBe('error: required flag(s) "replicas" not set\n');
    expect(usageError(['scale', 'deploy/deathstar', '--replicas', 'x']).stderr).toContain('strconv.ParseInt: parsing "x": invalid syntax');
  });

  it('reads kubectl run options and the container args after --', () => {
    const r = parseKubectl([
      'run',
      'client',
      '--image=nicolaka/netshoot',
      '--labels=app=client,tier=test',
      '--restart=Never',
      '--port=80',
      '--',
      'sleep',
      '3600',
    ]);
    expect(r).toMatchObject({
      verb: 'run',
      name: 'client',
      image: 'nicolaka/netshoot',
      labels: { app: 'client', tier: 'test' },
      restart: 'Never',
      port: 80,
      args: ['sleep', '3600'],
    });
  });
});

describe('parseKubectl: logs, exec, wait', () => {
  it('reads exec with the command after --, and -it clusters', () => {
    const r = parseKubectl(['exec', '-n', 'kube-system', '-it', 'ds/cilium', '-c', 'cilium-agent', '--', 'cilium-dbg', 'endpoint', 'list']);
    expect(r).toMatchObject({
      verb: 'exec',
      namespace: 'kube-system',
      stdin: true,
      tty: true,
      container: 'cilium-agent',
      command: ['cilium-dbg', 'endpoint', 'list'],
    });
    expect(r.verb === 'exec' && [r.pod.type.kind, r.pod.name]).toEqual(['DaemonSet', 'cilium']);
  });

  it('refuses exec without -- as current kubectl does', () => {
    expect(usageError(['exec', 'xwing', 'curl', 'x']).stderr).toMatch(/^error: exec \[POD\] \[COMMAND\] is not supported anymore/);
    expect(usageError(['exec', 'xwing']).stderr).toBe('error: you must specify at least one command for the container\n');
  });

  it('reads logs by pod or selector with tail, since and timestamps', () => {
    const r = parseKubectl(['logs', '-n', 'kube-system', '-l', 'k8s-app=cilium', '--tail', '5', '--since', '10m', '--timestamps']);
    expect(r).toMatchObject({ verb: 'logs', selector: 'k8s-app=cilium', tail: 5, sinceNs: 600e9, timestamps: true });
    expect(parseKubectl(['logs', 'deathstar-1'])).toMatchObject({ tail: -1 });
  });

  it('reads wait --for=condition=Ready', () => {
    const r = parseKubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=echo', '--timeout=60s']);
    expect(r).toMatchObject({
      verb: 'wait',
      for: { kind: 'condition', name: 'Ready', value: 'True' },
      selector: 'app=echo',
      timeoutNs: 60e9,
    });
  });

  it('refuses an unknown verb', () => {
    expect(usageError(['frobnicate']).stderr).toBe('error: unknown command "frobnicate" for "kubectl"\n');
  });
});
