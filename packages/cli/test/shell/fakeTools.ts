// A stand-in for the tool emulations other packages provide, so the shell layer is tested on
// its own: `args` prints its argv as JSON, `kubectl get pods ... -o jsonpath=T` evaluates T on
// a fixed pod list with the real JSONPath engine, `fail` writes to both streams and exits 3.
import type { CommandResult, Dispatch } from '../../src/shell/command.ts';
import { evaluateJsonPath } from '../../src/shell/jsonpath.ts';
import { ShellSession } from '../../src/shell/session.ts';

export const PODS = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'echo-server-7d8b9c-x2k4p', labels: { app: 'echo-server' } },
      spec: { nodeName: 'kind-worker' },
      status: { podIP: '10.244.1.12' },
    },
    {
      metadata: { name: 'pod-worker-5b6c7d-q9w8e', labels: { app: 'pod-worker' } },
      spec: { nodeName: 'kind-worker2' },
      status: { podIP: '10.244.2.31' },
    },
  ],
};

export const fakeDispatch: Dispatch = (argv, io): CommandResult => {
  const [name, ...args] = argv;
  if (name === 'args') return { stdout: `${JSON.stringify(args)}\n`, stderr: '', exitCode: 0 };
  if (name === 'env') return { stdout: `${io.env[args[0]!] ?? ''}\n`, stderr: '', exitCode: 0 };
  if (name === 'stdin') return { stdout: io.stdin, stderr: '', exitCode: 0 };
  if (name === 'fail') return { stdout: 'partial\n', stderr: 'boom\n', exitCode: 3 };
  if (name === 'kubectl') return kubectl(args);
  return { stdout: '', stderr: `bash: ${name}: command not found\n`, exitCode: 127 };
};

function kubectl(args: readonly string[]): CommandResult {
  const i = args.indexOf('-o');
  const format = i >= 0 ? args[i + 1]! : (args.find((a) => a.startsWith('-o'))?.replace(/^-o=?/, '') ?? '');
  if (format.startsWith('jsonpath=')) return { stdout: evaluateJsonPath(format.slice('jsonpath='.length), PODS), stderr: '', exitCode: 0 };
  const rows = PODS.items.map((p) => `${p.metadata.name.padEnd(28)}1/1     Running   0          5m`);
  return { stdout: `${'NAME'.padEnd(28)}READY   STATUS    RESTARTS   AGE\n${rows.join('\n')}\n`, stderr: '', exitCode: 0 };
}

export function newSession(): ShellSession {
  return new ShellSession({ dispatch: fakeDispatch, readFile: (p) => (p === 'manifests/pod.yaml' ? 'kind: Pod\n' : undefined) });
}
