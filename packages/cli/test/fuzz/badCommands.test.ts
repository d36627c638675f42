// Bad command lines through the shell, as a script or the REPL runs them: whatever the line, the
// user sees the real tool's kind of message naming the command and the flag (or the object and
// field of a manifest), never a stack trace or an internal error, and a rejected command leaves
// the cluster's objects the very same state. Table cases pin each category; fast-check throws
// random flags and garbage at every command.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { k8s } from '@cilium-sim/core';
import { startRepl } from '../../src/repl.ts';
import { createSimulator } from '../../src/simulator.ts';
import { parseScript, runScript } from '../../src/shell/script.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-bad-'));
mkdirSync(join(dir, 'manifests'));
const FILES: Record<string, string> = {
  'pod.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n',
  'tabs.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n',
  'dup.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  name: y\n',
  'list.yaml': '- 1\n- 2\n',
  'noapi.yaml': 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n',
  'deep.yaml': `a: ${'['.repeat(2_000)}${']'.repeat(2_000)}\n`,
  'many.yaml': Array.from(
    { length: k8s.MAX_MANIFEST_OBJECTS + 1 },
    (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${i}}\n`,
  ).join('---\n'),
  'l7udp.yaml':
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: l7udp}\nspec:\n  endpointSelector: {}\n  ingress:\n  - toPorts: [{ports: [{port: "80", protocol: UDP}], rules: {http: [{path: /}]}}]\n',
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);

const sim = createSimulator({ seed: 1 }, nodeHostFiles(dir));
sim.session.run('kubectl apply -f pod.yaml');

/** What a user must never see: a JavaScript stack or error class, an internal error, or a formatting slip. */
const LEAKS =
  /^\s+at |TypeError|RangeError|ReferenceError|SyntaxError:|internal error|\[object Object\]|\bundefined\b|\bNaN\b|Maximum call stack/m;

/** LEAKS in what a command printed, leaving out the words the user typed (`NaN` echoed back is fine). */
function leakIn(output: string, typed: readonly string[]): string | undefined {
  const own = typed.filter((w) => w.length >= 3).reduce((o, w) => o.split(w).join(''), output);
  return LEAKS.exec(own)?.[0];
}

/** Runs `line`; asserts it failed cleanly and changed no object; returns what it printed. */
function rejected(line: string): string {
  const before = sim.cluster.state;
  const r = sim.session.run(line);
  expect(r.exitCode, `${line}\n${r.output}`).not.toBe(0);
  expect(r.output).not.toMatch(LEAKS);
  expect(r.output.trim().length).toBeGreaterThan(10);
  expect(sim.cluster.state).toBe(before);
  return r.output;
}

const SPIRE = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server';

/** [line, what the message must say]: the command or flag named, in the real tool's words. */
const CASES: Record<string, [string, RegExp][]> = {
  'malformed manifests': [
    ['kubectl apply -f tabs.yaml', /yaml: line 4, column 1: Tabs are not allowed/],
    ['kubectl apply -f dup.yaml', /line 5, column 3: Map keys must be unique/],
    ['kubectl apply -f list.yaml', /"list.yaml": document 1: expected a Kubernetes object/],
    ['kubectl apply -f noapi.yaml', /Pod default\/p: apiVersion: Required value: apiVersion must be set/],
    ['kubectl apply -f deep.yaml', /nested too deeply to read/],
    [
      'kubectl apply -f many.yaml',
      new RegExp(`holds ${k8s.MAX_MANIFEST_OBJECTS + 1} objects; cilium-sim applies at most ${k8s.MAX_MANIFEST_OBJECTS}`),
    ],
    ['kubectl apply -f l7udp.yaml', /ports\[0\]\.protocol: L7 rules can only apply to TCP \(not UDP\)/],
    ['kubectl apply -f missing.yaml', /-f: the path "missing.yaml" does not exist/],
    ['kubectl apply -f manifests', /^error: no objects passed to apply$/m],
    ['kubectl apply -f /dev/zero', /\/dev\/zero: is not a regular file/],
    ['kubectl apply -f', /flag needs an argument: 'f' in -f/],
  ],
  'kubectl flags and resources': [
    ['kubectl get podz', /the server doesn't have a resource type "podz"/],
    ['kubectl get pods -n', /flag needs an argument: 'n' in -n/],
    ['kubectl -n', /flag needs an argument: 'n' in -n/],
    ['kubectl --namespace', /flag needs an argument: --namespace/],
    ['kubectl get pods --foo', /unknown flag: --foo/],
    ['kubectl get pods -o yamlx', /output format "yamlx"/],
    ['kubectl get pods -o jsonpath=', /template format specified but no template given/],
    ['kubectl get pods -o jsonpath={.items[0', /error parsing jsonpath/],
    ['kubectl bogus', /unknown command "bogus" for "kubectl"/],
    ['kubectl scale deployment web --replicas=abc', /invalid argument "abc" for "--replicas" flag/],
    ['kubectl scale deployment web --replicas=100000', /--replicas: cilium-sim runs at most 1000 replicas/],
    ['cilium-sim --bogus', /unknown command "--bogus"|unknown flag/],
    [
      'kubectl run x --image=nginx --port=70000',
      /^The Pod "x" is invalid: spec\.containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n$/,
    ],
    ['kubectl run Bad_Name --image=nginx', /^The Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/],
    ['kubectl logs web --since=5x', /invalid argument "5x" for "--since" flag/],
    ['kubectl delete pod web --grace-period=abc', /invalid argument "abc" for "--grace-period" flag/],
    ['kubectl exec web curl http://x', /Use exec \[POD\] -- \[COMMAND\] instead/],
    ['kubectl exec web -c nope -- curl http://x', /container not found \("nope"\)/],
  ],
  'label selectors': [
    ["kubectl get pods -l 'app in (a'", /-l: invalid label selector "app in \(a"/],
    ["kubectl get pods -l 'a=b=c'", /-l: invalid label selector "a=b=c": label value "b=c"/],
    ["kubectl get pods -l 'app notin ()'", /-l: .*values set can't be empty/],
    ["kubectl label pod web 'bad key=x'", /invalid label spec: bad key=x/],
    ["hubble observe --label 'a in ('", /invalid argument "a in \(" for "--label" flag/],
  ],
  'workload tools': [
    ['kubectl exec web -- curl', /curl: no URL specified/],
    ['kubectl exec web -- curl http://web:99999/', /curl: \(3\) URL rejected: Port number/],
    ['kubectl exec web -- curl --connect-timeout abc http://web', /option --connect-timeout: expected a proper numerical parameter/],
    ['kubectl exec web -- curl --bogus http://web', /option --bogus: is unknown/],
    ["kubectl exec web -- curl 'http://user@:80/'", /^curl: \(3\) URL rejected: .*\ncommand terminated with exit code 3\n$/],
    ['kubectl exec web -- nc -z web', /nc: missing port number/],
    ['kubectl exec web -- nc -z web abc', /nc: port number invalid: abc/],
    ['docker exec nope curl http://x', /^Error response from daemon: No such container: nope\n$/],
    ['outside --ip', /outside: put the command after --/],
    ['outside --ip -- curl http://x', /flag needs an argument: --ip/],
    ['outside --ip 999.1.1.1 -- curl http://x', /--ip: "999.1.1.1" is not an IPv4 address/],
  ],
  hubble: [
    ['hubble observe --bogus', /Error: unknown flag: --bogus/],
    ['hubble observe --port abc', /invalid argument "abc" for "--port" flag/],
    ['hubble observe --verdict MAYBE', /invalid argument "MAYBE" for "--verdict" flag/],
    ['hubble observe --last -3', /invalid argument "-3" for "--last" flag/],
    ['hubble observe --last 99999999999999999999', /"--last" flag: .*value out of range/],
    ['hubble observe --since 5x', /failed to parse the since time: "5x"/],
    ['hubble observe --since 2024-13-45T00:00:00Z', /failed to parse the since time/],
    ['hubble observe --ip 10.0.0.0/99', /"--ip" flag: invalid CIDR/],
    ["hubble observe --http-path '('", /"--http-path" flag: invalid regular expression/],
    ['hubble status --bogus', /Error: unknown flag: --bogus/],
  ],
  cilium: [
    ['cilium bogus', /unknown command "bogus" for "cilium"/],
    ['cilium config set enable-policy maybe', /enable-policy: invalid value "maybe"/],
    ['cilium config set', /accepts 2 arg\(s\), received 0/],
    ['cilium policy trace --src-k8s-pod default:web --dst-k8s-pod default:web --dport abc', /invalid argument "abc" for "--dport" flag/],
    ["cilium policy trace -s 'app=web' -d app=web", /--src label contexts are not modelled/],
    ['cilium policy trace --src-identity abc --dst-identity 1', /"--src-identity" flag/],
  ],
  'SPIFFE IDs': [
    [`${SPIRE} entry show -spiffeID bad`, /error parsing SPIFFE ID "bad": scheme is missing or invalid/],
    [`${SPIRE} entry show -spiffeID spiffe://spiffe.cilium/a//b`, /path cannot contain empty segments/],
    [`${SPIRE} entry show -parentID nope`, /error parsing parent ID "nope"/],
    [`${SPIRE} entry create -spiffeID bad -parentID spiffe://spiffe.cilium/ns/spire -selector a:b`, /error parsing SPIFFE ID "bad"/],
    [`${SPIRE} entry show -bogus`, /flag provided but not defined: -bogus/],
  ],
  durations: [
    ['sleep 5x', /sleep: invalid time interval '5x'/],
    ['sleep -1s', /sleep: invalid time interval '-1s'/],
    ['sleep 25h', /at most 24h0m0s per sleep/],
    ['sleep 99999999h', /at most 24h0m0s per sleep/],
    ['sleep', /sleep: missing operand/],
  ],
  'shell syntax': [
    ["echo 'unterminated", /unterminated quote/],
    ['|', /syntax error near unexpected token `\|'/],
    ['echo $(', /unterminated command substitution/],
    ['for i in 1; do echo; done', /unsupported shell syntax: for loop/],
    ['cat < manifests', /^cilium-sim: manifests: Is a directory$/m],
    ['bogus-command', /bogus-command: command not found/],
  ],
  'cilium-sim replay': [
    ['cilium-sim replay --with dup.yaml', /^Error: error parsing dup\.yaml: document 1: yaml: line 5, column 3: Map keys must be unique/],
  ],
  'kubectl logs': [['kubectl logs web -c nope', /^Error from server \(BadRequest\): container nope is not valid for pod web\n$/]],
  filters: [
    [`echo '${'['.repeat(20_000)}${']'.repeat(20_000)}' | jq -c .`, /^jq: error .*Exceeds depth limit for parsing\n$/],
    [`echo '${'['.repeat(20_000)}${']'.repeat(20_000)}' | yq .`, /^Error: bad file: nested too deeply to read\n$/],
    ['echo \'{"a":1} {bad\' | jq .a', /^jq: error .*Cannot parse input as JSON/],
    ['set -o noclobber', /set: noclobber: option not supported/],
  ],
};

describe('bad command lines', () => {
  for (const [category, cases] of Object.entries(CASES)) {
    it.each(cases)(`${category}: %s`, (line, message) => {
      expect(rejected(line)).toMatch(message);
    });
  }
});

describe('very large scripts', () => {
  it('refuses a script of over 100k commands before running any', () => {
    const parsed = parseScript('echo hi\n'.repeat(100_001));
    expect(parsed).toEqual({ errors: ['script.sh: too many commands (the limit is 100000)'] });
  });

  it('gives up on a quote left open after 500 lines of a 100k-line script, naming its line', () => {
    const parsed = parseScript(`echo 'oops\n${'echo hi\n'.repeat(100_000)}`);
    expect(parsed).toEqual({ errors: ['script.sh:1: unterminated quote (the command is still open after 500 lines)'] });
  });

  it('stops after 20 malformed lines', () => {
    const parsed = parseScript('echo \\\n'.repeat(100_000));
    expect('errors' in parsed && parsed.errors.length).toBe(21);
  });

  it('refuses a line over 1 MB and runs nothing', () => {
    const before = sim.cluster.state;
    const r = runScript(`kubectl apply -f pod.yaml\necho ${'x'.repeat(1_100_000)}\n`, sim.session);
    expect(r).toMatchObject({ ok: false, transcript: expect.stringMatching(/^script\.sh:2: line too long/) });
    expect(sim.cluster.state).toBe(before);
  });
});

/** Pipes `text` into a REPL on a fresh simulator; returns what it printed. */
async function repl(text: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const done = startRepl({ input, output, session: createSimulator({ seed: 1 }, nodeHostFiles(dir)).session, isTTY: false });
  input.end(text);
  await done;
  output.end();
  await finished(output);
  return out;
}

describe('bad input piped into the REPL', () => {
  it('answers each bad line and goes on', async () => {
    const out = await repl('kubectl get podz\nhubble observe --port abc\necho ok\n');
    expect(out).toContain('error: the server doesn\'t have a resource type "podz"');
    expect(out).toContain('invalid argument "abc" for "--port" flag');
    expect(out).toMatch(/echo ok\nok\n$/);
    expect(out).not.toMatch(LEAKS);
  });

  it('reports a quote still open when the input ends', async () => {
    expect(await repl('echo "never closed\n')).toMatch(/cilium-sim: unterminated quote\n$/);
  });

  it('runs a quote left open for 500 lines, then reads the rest as commands', async () => {
    const out = await repl(`echo 'oops\n${'echo hi\n'.repeat(600)}`);
    expect(out).toContain('cilium-sim: unterminated quote');
    expect(out).toMatch(/echo hi\nhi\n$/);
  });
});

/** A random command line: a program and its subcommand, then flags and garbage in any order. */
const PROGRAMS = [
  'kubectl get pods',
  'kubectl get',
  'kubectl logs web',
  'kubectl label pod web',
  'kubectl scale deployment web',
  'kubectl run x',
  'kubectl delete pod',
  'kubectl apply',
  'kubectl exec web --',
  'kubectl exec web -- curl',
  'kubectl exec web -- nc',
  'kubectl exec web -- nslookup',
  'hubble observe',
  'hubble',
  'cilium config set',
  'cilium policy trace',
  'cilium endpoint list',
  'cilium',
  'sleep',
  'outside',
  'outside --',
  'docker exec kind-worker',
  'cilium-sim matrix',
  'cilium-sim map',
  SPIRE,
  `${SPIRE} entry show`,
  `${SPIRE} entry create`,
];
const FLAGS = [
  '-n',
  '-A',
  '-l',
  '-o',
  '-f',
  '-c',
  '--since',
  '--port',
  '--to-port',
  '--verdict',
  '--last',
  '--first',
  '--ip',
  '--from-pod',
  '--label',
  '--replicas',
  '--image',
  '--overwrite',
  '--dport',
  '--src-k8s-pod',
  '--dst-k8s-pod',
  '-spiffeID',
  '-parentID',
  '-selector',
  '--not',
  '-X',
  '-H',
  '--connect-timeout',
  '-w',
  '-z',
  '-u',
  '--bogus',
  '-',
  '--',
  '--type',
  '--protocol',
  '--http-status',
  '--identity',
];
const GARBAGE = [
  'abc',
  '-1',
  '0',
  '65536',
  '0x50',
  '1e400',
  'NaN',
  '',
  ' ',
  'x=y=z',
  'app in (',
  '!!',
  '10.0.0.0/8/8',
  '::/129',
  '5x',
  '99999999h',
  'spiffe://',
  'spiffe://a//b',
  'MAYBE',
  'http://',
  'http://web:99999',
  '[',
  '(',
  '{.items[0',
  'jsonpath=',
  'web',
  'default/web',
  'pod.yaml',
  'tabs.yaml',
  'manifests',
  '/dev/null',
  "'",
  '"',
  '\\',
  '$(',
  '`',
  '|',
  ';',
  '&&',
  'a'.repeat(300),
];
const token = fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...GARBAGE), fc.string({ maxLength: 8 }));

/** Single-quotes a word so the random token reaches the command as it is (the shell is fuzzed elsewhere). */
const quoted = (w: string): string => `'${w.replace(/'/g, "'\\''")}'`;

describe('random command lines', () => {
  it('never show a stack trace and leave the cluster unchanged when rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROGRAMS), fc.array(token, { maxLength: 6 }), (program, words) => {
        const line = `${program} ${words.map(quoted).join(' ')}`;
        const before = sim.cluster.state;
        const r = sim.session.run(line);
        expect(leakIn(r.output, words), `${line}\n${r.output}`).toBeUndefined();
        expect(r.exitCode, line).not.toBe(70);
        if (r.exitCode !== 0 && !/^kubectl (delete|apply|exec)/.test(program)) expect(sim.cluster.state, line).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it('never throw from the shell, whatever the raw line', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(token, fc.constantFrom(...PROGRAMS)), { maxLength: 8 }), (words) => {
        const line = words.join(' ');
        const r = sim.session.run(line);
        expect(leakIn(r.output, words), `${line}\n${r.output}`).toBeUndefined();
        expect(r.exitCode, line).not.toBe(70);
      }),
      { numRuns: 150 },
    );
  });
});

describe('careless scripts', () => {
  /** Runs `text` as a script on a fresh simulator; returns the transcript and how the script ended. */
  function script(text: string): { transcript: string; exit: number | undefined } {
    const { session } = createSimulator({ seed: 1 }, nodeHostFiles(dir));
    const r = runScript(text, session);
    return { transcript: r.transcript, exit: session.exitRequested };
  }

  it('stop at the first failure under set -e, as bash does, so a CI job sees the failure', () => {
    const r = script('set -e\necho one\nfalse || echo recovered\nfalse && echo no\n! true\nkubectl get pod nope\necho not-printed\n');
    expect(r.transcript).toContain('recovered');
    expect(r.transcript).not.toContain('not-printed');
    expect(r.exit).toBe(1);
    expect(script('set -e\nset +e\nfalse\necho printed\n').transcript).toContain('printed');
    // A background list is a subshell: its failure or exit ends only it.
    expect(script('set -e\ntrue && false &\nexit 3 &\necho still\n')).toMatchObject({
      transcript: expect.stringContaining('still'),
      exit: undefined,
    });
  });

  it('take a pipeline failure under set -o pipefail, and an unset variable under set -u', () => {
    expect(script('set -eo pipefail\necho a | grep nope | cat\necho not-printed\n')).toMatchObject({ exit: 1 });
    const unset = script(`set -eu\necho "[\${MISSING:-d}]"\necho "[$MISSING]"\necho not-printed\n`);
    expect(unset.transcript).toContain('[d]');
    expect(unset.transcript).toContain('cilium-sim: MISSING: unbound variable');
    expect(unset.transcript).not.toContain('not-printed');
  });

  it('refuse a set option the shell does not model by name, never pretending it is on', () => {
    expect(script('set -x\n').transcript).toMatch(/set: -x: option not supported/);
    expect(script('set -o noclobber\n').transcript).toMatch(/set: noclobber: option not supported/);
    expect(script('set -o\n').transcript).toMatch(/errexit\s+off\nnounset\s+off\npipefail\s+off/);
  });

  it('apply the good files of a directory when one cannot be read, naming the bad file', () => {
    const mixed = mkdtempSync(join(tmpdir(), 'cilium-sim-mixed-'));
    writeFileSync(join(mixed, 'a-dup.yaml'), FILES['dup.yaml']!);
    writeFileSync(join(mixed, 'b-pod.yaml'), FILES['pod.yaml']!);
    const { session, cluster } = createSimulator({ seed: 1 }, nodeHostFiles(mixed));
    const r = session.run('kubectl apply -f .');
    expect(r.output).toMatch(/^error: error parsing \.\/a-dup\.yaml: document 1: yaml: line 5, column 3: Map keys must be unique/m);
    expect(r.output).toContain('pod/web created');
    expect(r.exitCode).toBe(1);
    expect(cluster.get('Pod', 'web', 'default')).toBeDefined();
  });

  it("run sh -c's own echo, true, false and exit in a pod, as a shell does, instead of looking for programs", () => {
    const { session } = createSimulator({ seed: 1 }, nodeHostFiles(dir));
    session.run('kubectl apply -f pod.yaml');
    const r = session.run("kubectl exec web -- sh -c 'echo a; false || echo $?; true && exit 3; echo never'");
    expect(r).toMatchObject({ stdout: 'a\n1\n', exitCode: 3 });
    expect(r.stderr).toBe('command terminated with exit code 3\n');
    expect(session.run("kubectl exec web -- sh -c 'exit 4'").stderr).toBe('command terminated with exit code 4\n');
    expect(session.run("kubectl exec web -- sh -c 'exit x'").stderr).toMatch(/^sh: exit: x: numeric argument required\n/);
  });

  it('read a stream of JSON values with jq, as hubble observe -o json prints them', () => {
    const r = script(`echo '{"a":1} {"a":"}{"} [2] 3' | jq -c .\nhubble observe -o json | jq -r .time | head -1\n`);
    expect(r.transcript).toContain('{"a":1}\n{"a":"}{"}\n[2]\n3\n');
    expect(r.transcript).not.toContain('Cannot parse');
  });

  it('never expand a variable to a property every JavaScript object has', () => {
    const r = script('echo "[$constructor][$toString][$__proto__]"\n__proto__=x\necho "[$__proto__]"\n');
    expect(r.transcript).toContain('[][][]\n');
    expect(r.transcript).toContain('[x]\n');
  });
});
