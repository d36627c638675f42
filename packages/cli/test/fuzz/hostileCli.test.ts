// Hostile and careless input at the command line, each found by trying it against the built CLI
// and fixed: the script's exit status as bash gives it, a script fed to a pod's shell on standard
// input, POSIX's ${X...} forms, and odd quoting, files and flags. Each case asserts what the user
// sees: the real tool's words and status, nothing lost before it, and a cluster the next command
// can use.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLab } from '../../src/lab/labSession.ts';
import { createSimulator } from '../../src/simulator.ts';
import { runScript } from '../../src/shell/script.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-hostile-'));
mkdirSync(join(dir, 'folder'));
const PODS = [
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  labels: {app: client}\nspec:\n  containers: [{name: c, image: curl}]\n',
].join('---\n');
writeFileSync(join(dir, 'pods.yaml'), PODS);

/** A fresh simulator with the web and client pods, as a script sees it. */
function lab() {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(dir));
  expect(sim.session.run('kubectl apply -f pods.yaml').exitCode).toBe(0);
  return sim;
}

/** Runs `text` as `cilium-sim run` does: the transcript and the status the run ends with. */
function script(text: string): { transcript: string; status: number } {
  const r = runScript(text, lab().session);
  return { transcript: r.transcript, status: r.exitCode };
}

describe("a script's exit status", () => {
  it('is the last command run, as bash gives it', () => {
    expect(script('echo one\nkubectl get pod nope\n').status).toBe(1);
    expect(script('kubectl get pod nope\necho fine\n').status).toBe(0);
    expect(script('kubectl get pod nope || true\n# trailing comment\n\n').status).toBe(0);
    expect(script('echo a | grep b\n').status).toBe(1);
    expect(script('exit 300\n').status).toBe(44);
    expect(script('').status).toBe(0);
  });
});

describe('a script fed to the shell of a pod (kubectl exec -i POD -- sh <<EOF)', () => {
  it('runs its lines in the pod, with the shell own words, and ends with its status', () => {
    const sim = lab();
    const r = sim.session.run(
      [
        'kubectl exec -i client -- sh <<EOF',
        'echo hello from the pod',
        "curl -s -o /dev/null -w '%{http_code}\\n' http://$(kubectl get pod web -o jsonpath='{.status.podIP}')",
        '# a comment',
        'X=1; echo "x is \\$X"',
        'exit 3',
        'echo never',
        'EOF',
      ].join('\n'),
    );
    expect(r.output).toBe('hello from the pod\n200\nx is 1\ncommand terminated with exit code 3\n');
    expect(r.exitCode).toBe(3);
    // bash -s and sh - read it too.
    expect(sim.session.run("kubectl exec -i client -- bash -s <<'EOF'\necho $HOME\nEOF").output).toBe('/root\n');
    expect(sim.session.run("kubectl exec -i client -- sh - <<< 'false'").exitCode).toBe(1);
  });

  it('reads nothing without -i, as kubectl passes no input, and refuses what it does not model by name', () => {
    const sim = lab();
    expect(sim.session.run('kubectl exec client -- sh <<EOF\necho not read\nEOF')).toMatchObject({ output: '', exitCode: 0 });
    expect(sim.session.run('kubectl exec -it client -- sh <<EOF\necho piped\nEOF').output).toBe(
      'piped\nUnable to use a TTY - input is not a terminal or the right kind of file\n',
    );
    expect(sim.session.run('kubectl exec -it client -- sh').output).toMatch(
      /^cilium-sim: an interactive sh in a pod is not modelled; .* or feed a script: kubectl exec -i POD -- sh <<EOF\ncommand terminated with exit code 1\n$/,
    );
    expect(sim.session.run('kubectl exec -i client -- sh <<EOF\ncurl -s http://web | head -1\nEOF').output).toBe(
      'cilium-sim: sh in a pod runs simple commands joined by ; && || or newlines; pipes and redirections are not modelled\ncommand terminated with exit code 1\n',
    );
    expect(sim.session.run("kubectl exec -i client -- sh <<'EOF'\necho 'open\nEOF").output).toBe(
      'sh: unterminated quote\ncommand terminated with exit code 2\n',
    );
    expect(sim.session.run('kubectl exec client -- sh run.sh').output).toBe(
      'sh: 0: cannot open run.sh: No such file\ncommand terminated with exit code 2\n',
    );
    expect(sim.session.run('kubectl exec client -- bash run.sh').output).toBe(
      'bash: run.sh: No such file or directory\ncommand terminated with exit code 127\n',
    );
    expect(sim.session.run('kubectl exec client -- sh -x').output).toMatch(/^cilium-sim: sh -x in a pod is not modelled; /);
  });

  it('feeds a kind node shell too (docker exec -i NODE sh)', () => {
    expect(lab().session.run('docker exec -i kind-worker sh <<EOF\necho on the node\nEOF').output).toBe('on the node\n');
  });
});

describe('POSIX parameter expansion', () => {
  it('tells unset from empty without the colon, as bash does', () => {
    const { transcript } = script(
      [
        'E=',
        `echo "[\${U-def}] [\${E-def}] [\${U:-def}] [\${E:-def}]"`,
        `echo "[\${U+alt}] [\${E+alt}] [\${U:+alt}] [\${E:+alt}]"`,
        `echo "[\${A=one}] [$A] [\${E=two}] [$E] [\${E:=three}] [$E]"`,
        `echo "[\${E?unused}] [\${A:?unused}]"`,
        `echo \${U-a  b}|wc -w`,
        '',
      ].join('\n'),
    );
    expect(transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual([
      '[def] [] [def] [def]',
      '[] [alt] [] []',
      '[one] [one] [] [] [three] [three]',
      '[three] [one]',
      '2',
      '',
    ]);
  });

  it(`ends a script at \${X?} and \${X:?message} with bash's message and status 1`, () => {
    expect(script(`echo "\${U?}"\necho not reached\n`)).toEqual({
      transcript: `$ echo "\${U?}"\ncilium-sim: U: parameter not set\n`,
      status: 1,
    });
    expect(script(`E=\n: "\${E:?}" || echo not run\necho not reached\n`).transcript).toMatch(/cilium-sim: E: parameter null or not set\n$/);
    expect(script(`N=ns\nkubectl get pods -n "\${NAMESPACE:?set NAMESPACE to the $N of the lab}"\n`)).toEqual({
      transcript: `$ N=ns\n$ kubectl get pods -n "\${NAMESPACE:?set NAMESPACE to the $N of the lab}"\ncilium-sim: NAMESPACE: set NAMESPACE to the ns of the lab\n`,
      status: 1,
    });
    // In a command substitution only the subshell ends.
    expect(script(`X=$(echo \${U:?no}); echo "[$X] $?"\n`).transcript).toBe(
      `$ X=$(echo \${U:?no}); echo "[$X] $?"\ncilium-sim: U: no\n[] 1\n`,
    );
    expect(script(`echo \${1:=x}\n`).transcript).toMatch(/cilium-sim: \$1: cannot assign in this way\n$/);
  });

  it('only fails the command at a prompt, where the session goes on', () => {
    const { session } = lab();
    expect(session.run(`echo \${U:?unset}; echo after`)).toMatchObject({ output: 'cilium-sim: U: unset\nafter\n' });
    expect(session.exitRequested).toBeUndefined();
    expect(session.run(`echo \${V:=assigned} && echo $V`).output).toBe('assigned\nassigned\n');
  });

  it(`work in a pod shell, which ends at \${X:?}`, () => {
    const r = lab().session.run(`kubectl exec client -- sh -c 'echo \${U-d}\${HOME+h}; echo \${U:?no}; echo never'`);
    expect(r.output).toBe('dh\nsh: U: no\ncommand terminated with exit code 2\n');
  });
});

describe('careless scripts', () => {
  it('refuse a binary file as bash does, and drop NUL bytes elsewhere', () => {
    expect(runScript('echo a\0b\n', lab().session, { name: 'bin.sh' })).toMatchObject({
      ok: false,
      transcript: 'bin.sh: cannot execute binary file\n',
    });
    expect(script('echo ok\necho a\0b\n').transcript).toBe('$ echo ok\nok\n$ echo ab\nab\n');
  });

  it('read a file operand that is a directory in the words of cat and bash', () => {
    const { session } = lab();
    expect(session.run('cat folder')).toMatchObject({ output: 'cat: folder: Is a directory\n', exitCode: 1 });
    expect(session.run('grep x folder').output).toBe('grep: folder: Is a directory\n');
    expect(session.run('cat < folder').output).toBe('cilium-sim: folder: Is a directory\n');
  });
});

describe('kubectl, carelessly', () => {
  it('reads the words after -- as arguments, except for exec and run', () => {
    const { session } = lab();
    expect(session.run('kubectl get pods -- web').output).toMatch(/^NAME +READY .*\nweb +1\/1 /);
    expect(session.run('kubectl get pods -- web').output).not.toContain('client');
    expect(session.run('kubectl label pod web -- tier=front').output).toBe('pod/web labeled\n');
    expect(session.run('kubectl get pod web -o jsonpath={.metadata.labels.tier}').output).toBe('front');
  });

  it("takes an empty -n '' as no namespace, as kubectl's client config does", () => {
    const { session } = lab();
    expect(session.run("kubectl get pods -n '' web -o name").output).toBe('pod/web\n');
    expect(session.run('kubectl get pods --namespace= -o name').output).toBe('pod/client\npod/web\n');
  });

  it('checks the numbers of kubectl logs as kubectl does, and reads --since-time', () => {
    const { session } = lab();
    const cilium = session.run('kubectl -n kube-system get pods -l k8s-app=cilium -o name').output.split('\n')[0]!;
    expect(session.run(`kubectl -n kube-system logs ${cilium} --tail=-5`).output).toBe(
      'error: --tail must be greater than or equal to -1\n',
    );
    expect(session.run(`kubectl -n kube-system logs ${cilium} --tail 99999999999999999999`).output).toBe(
      'error: invalid argument "99999999999999999999" for "--tail" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range\n',
    );
    expect(session.run(`kubectl -n kube-system logs ${cilium} --since=-5m`).output).toBe('error: --since must be greater than 0\n');
    expect(session.run(`kubectl -n kube-system logs ${cilium} --since=1h --since-time=2024-01-01T00:00:00Z`).output).toBe(
      'error: at most one of `sinceTime` or `sinceSeconds` may be specified\n',
    );
    expect(session.run(`kubectl -n kube-system logs ${cilium} --since-time=yesterday`).output).toMatch(
      /^error: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"/,
    );
    const all = session.run(`kubectl -n kube-system logs ${cilium}`).output;
    expect(all.length).toBeGreaterThan(0);
    expect(session.run(`kubectl -n kube-system logs ${cilium} --since-time=2000-01-01T00:00:00Z`).output).toBe(all);
    expect(session.run(`kubectl -n kube-system logs ${cilium} --since-time=2999-01-01T00:00:00Z`).output).toBe('');
  });

  it('refuses a negative --port of kubectl run by its range, not as a number Go cannot parse', () => {
    // kubectl sends the Pod; the API server refuses the container port it went to.
    expect(lab().session.run('kubectl run x --image=nginx --port=-1').output).toBe(
      'The Pod "x" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: -1: must be between 1 and 65535, inclusive\n',
    );
  });
});

describe('cilium-cli, carelessly', () => {
  it('takes its persistent flags before or after the command, and refuses another namespace or context by name', () => {
    const { session } = lab();
    const status = session.run('cilium status').output;
    expect(status).toContain('Cilium:');
    expect(session.run('cilium -n kube-system status').output).toBe(status);
    expect(session.run('cilium status --namespace=kube-system --context kind-kind').output).toBe(status);
    expect(session.run('cilium status -n')).toMatchObject({ output: "Error: flag needs an argument: 'n' in -n\n", exitCode: 1 });
    expect(session.run('cilium status -n other').output).toBe(
      'Error: Cilium runs in namespace "kube-system" in cilium-sim; --namespace "other" holds no Cilium installation\n',
    );
    expect(session.run('cilium --context prod status').output).toMatch(/^Error: context "prod" does not exist/);
  });

  it("refuses --brief, which cilium-cli status does not have, and prints the agent's one-line status for cilium-dbg", () => {
    const { session } = lab();
    const cli = session.run('cilium status --brief');
    expect(cli.exitCode).toBe(1);
    expect(cli.output).toMatch(/^Error: unknown flag: --brief\n/);
    // cilium-dbg's FormatStatusResponseBrief: OK when every component is healthy, and nothing else.
    expect(session.run('kubectl -n kube-system exec ds/cilium -- cilium-dbg status --brief')).toMatchObject({
      output: 'OK\n',
      exitCode: 0,
    });
    expect(session.run('cilium-dbg status --brief')).toMatchObject({ output: 'OK\n', exitCode: 0 });
    // On the host, cilium-dbg words its usage errors in its own name, as cobra does.
    expect(session.run('cilium-dbg status --bogus').output).toBe(
      "Error: unknown flag: --bogus\nRun 'cilium-dbg status --help' for usage.\n",
    );
  });
});

describe('cilium-sim lab, carelessly', () => {
  it('names the labs when the name is none of them', () => {
    expect(() => createLab('nope')).toThrow(/^lab nope: no lab is named "nope" \(labs: .*mutual-auth-example/);
  });
});

describe('printf, which scripts use where echo falls short', () => {
  it('formats as bash does: reused format, widths, escapes, quoting and bad numbers', () => {
    const { session } = lab();
    expect(session.run("printf '%s\\n' a b c").output).toBe('a\nb\nc\n');
    expect(session.run("printf '%-5s|%03d|%x|%o|%c\\n' ab 7 255 8 xyz").output).toBe('ab   |007|ff|10|x\n');
    expect(session.run("printf '%5.2s|%d %d|%b|100%%\\n' abcdef 1 '' 'tab\\there\\x41'").output).toBe('   ab|1 0|tab\there\x41|100%\n');
    expect(session.run(`printf '%q|%d|%x|%d\\n' "é a" -0x10 -1 "'A"`).output).toBe('é\\ a|-16|ffffffffffffffff|65\n');
    expect(session.run("printf '%d\\n' abc")).toMatchObject({
      stdout: '0\n',
      stderr: 'cilium-sim: printf: abc: invalid number\n',
      exitCode: 1,
    });
    expect(session.run("printf '%z'")).toMatchObject({ stderr: "cilium-sim: printf: `z': invalid format character\n", exitCode: 1 });
    expect(session.run('printf')).toMatchObject({ stderr: 'cilium-sim: printf: usage: printf [-v var] format [arguments]\n', exitCode: 2 });
    expect(session.run('X=$(printf %s-%s k v); echo $X').output).toBe('k-v\n');
  });
});

describe('kubectl get -o custom-columns, which kubectl lists among its formats', () => {
  it('prints a column per path, <none> for what is missing, and refuses a bad spec in kubectl words', () => {
    const { session } = lab();
    expect(session.run('kubectl get pods -o custom-columns=NAME:.metadata.name,APP:metadata.labels.app,MISSING:.spec.nope').output).toBe(
      'NAME     APP      MISSING\nclient   client   <none>\nweb      web      <none>\n',
    );
    expect(
      session.run(
        "kubectl get pod web -o custom-columns='NAME:{.metadata.name},PORTS:.spec.containers[*].ports[*].containerPort' --no-headers",
      ).output,
    ).toBe('web   80\n');
    expect(session.run('kubectl get pods -o custom-columns=').output).toBe(
      'error: custom-columns format specified but no custom columns given\n',
    );
    expect(session.run('kubectl get pods -o custom-columns=NAME').output).toBe(
      'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n',
    );
    expect(session.run('kubectl get pods -o custom-columns=N:.metadata.name[').output).toBe(
      'error: error parsing jsonpath {.metadata.name[}, unterminated array\n',
    );
  });
});

describe("the simulator's own command, carelessly", () => {
  it('asks for a subcommand rather than naming an empty one', () => {
    const { session } = lab();
    expect(session.run('cilium-sim').output).toMatch(/^cilium-sim: a command is required; try: matrix, /);
    expect(session.run('cilium-sim policy').output).toMatch(/^error: cilium-sim policy requires a subcommand: suggest\n/);
  });
});

describe('head and tail by bytes, and an empty container name', () => {
  it('count bytes with -c as GNU head and tail do', () => {
    const { session } = lab();
    expect(session.run('echo hello world | head -c 5').output).toBe('hello');
    expect(session.run('echo hello | tail -c 3').output).toBe('lo\n');
    expect(session.run('echo hello | head -c -2').output).toBe('hell');
    expect(session.run('echo hello | tail -c +3').output).toBe('llo\n');
    expect(session.run('echo hello | head --bytes=2').output).toBe('he');
    expect(session.run('echo hello | head -c x')).toMatchObject({ output: "head: invalid number of bytes: 'x'\n", exitCode: 1 });
  });

  it("takes kubectl exec -c '' as no container, as kubectl does", () => {
    expect(lab().session.run("kubectl exec web -c '' -- sh -c 'echo in'").output).toBe('in\n');
  });
});

describe('redirections bash takes', () => {
  it('writes >| as > (noclobber is not modelled), /dev/tty to the terminal, and refuses <> by name', () => {
    const { session } = lab();
    expect(session.run('echo x >| f.txt; cat f.txt').output).toBe('x\n');
    expect(session.run('echo seen > /dev/tty; echo err > /dev/fd/2').output).toBe('seen\nerr\n');
    expect(session.run('echo x <> f.txt')).toMatchObject({
      output: 'cilium-sim: unsupported shell syntax: <> (a file open for reading and writing)\n',
      exitCode: 2,
    });
  });
});

describe('/dev/null and kubectl apply --validate', () => {
  it('reads /dev/null as empty wherever a file is read', () => {
    const { session } = lab();
    expect(session.run('kubectl apply -f - < /dev/null').output).toBe('error: no objects passed to apply\n');
    expect(session.run('kubectl apply -f /dev/null').output).toBe('error: no objects passed to apply\n');
    expect(session.run('cat /dev/null | wc -l').output).toBe('0\n');
  });

  it('takes --validate as kubectl does and refuses a value it does not know in its words', () => {
    const { session } = lab();
    expect(session.run('kubectl apply -f pods.yaml --validate=false').output).toBe('pod/web unchanged\npod/client unchanged\n');
    expect(session.run('kubectl apply -f pods.yaml --validate=bogus').output).toBe(
      'error: invalid - validate option "bogus"; must be one of: strict (or true), warn, ignore (or false)\n',
    );
  });
});

describe('kubectl get --sort-by', () => {
  it("orders by the path's value and refuses a path no object has, in kubectl's words", () => {
    const { session } = lab();
    expect(session.run('kubectl get pods --sort-by=.metadata.labels.app -o name').output).toBe('pod/client\npod/web\n');
    expect(
      session.run("kubectl get pods --sort-by='{.spec.containers[0].image}' -o custom-columns=N:.metadata.name --no-headers").output,
    ).toBe('client\nweb\n');
    expect(session.run('kubectl get pods --sort-by=.metadata.uid -o name').exitCode).toBe(0);
    expect(session.run('kubectl get pods --sort-by=bogus').output).toBe(
      'error: couldn\'t find any field with path "{.bogus}" in the list of objects\n',
    );
    expect(session.run("kubectl get pods --sort-by='{.metadata.name'").output).toBe(
      "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n",
    );
  });
});

describe('exit, as bash reads its word', () => {
  it('ends with N modulo 256, goes on after too many words, and ends with 2 on a word that is no number', () => {
    expect(script('exit -257\necho after\n')).toEqual({ transcript: '$ exit -257\n', status: 255 });
    expect(script('exit 3 4\necho after\n')).toEqual({
      transcript: '$ exit 3 4\ncilium-sim: exit: too many arguments\n$ echo after\nafter\n',
      status: 0,
    });
    for (const word of ['1a', '0x10', '99999999999999999999'])
      expect(script(`exit ${word}\necho after\n`)).toEqual({
        transcript: `$ exit ${word}\ncilium-sim: exit: ${word}: numeric argument required\n`,
        status: 2,
      });
  });
});

describe('prefix and suffix removal', () => {
  it('removes the shortest or longest match of a glob as bash does', () => {
    const { transcript } = script(
      [
        'P=pod/web-7d8b9c-x2k4p',
        'F=a/b/c.tar.gz',
        `echo "\${P#pod/} \${P#*/} \${P##*-} \${P%-*} \${P%%-*}"`,
        `echo "\${F#*/} \${F##*/} \${F%.*} \${F%%.*} \${F%/*}"`,
        `echo "\${F#x} \${F%x} [\${U#a}] \${F##*[/.]} \${F%%[!a]*}"`,
        `X='a*b'; echo "\${X#a\\*}"`,
        '',
      ].join('\n'),
    );
    expect(transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual([
      'web-7d8b9c-x2k4p web-7d8b9c-x2k4p x2k4p pod/web-7d8b9c pod/web',
      'b/c.tar.gz c.tar.gz a/b/c.tar a/b/c a/b',
      'a/b/c.tar.gz a/b/c.tar.gz [] gz a',
      'b',
      '',
    ]);
  });

  it('stays linear on a pattern of many wildcards, and refuses one on a value past its limit', () => {
    const { session } = lab();
    expect(session.run(`X=${'a'.repeat(4000)}; echo "\${X%%*a*a*a*a*a*a*b}" | wc -c`).output).toBe('4001\n');
    expect(session.run(`X=${'a'.repeat(5000)}; echo "\${X%%*b}"`).output).toMatch(
      /value over 4096 characters for a pattern with wildcards/,
    );
  });
});
