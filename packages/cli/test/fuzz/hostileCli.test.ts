// Hostile and careless input at the command line, each found by trying it against the built CLI
// and fixed: the script's exit status as bash gives it, a script fed to a pod's shell on standard
// input, POSIX's ${X...} forms, and odd quoting, files and flags. Each case asserts what the user
// sees: the real tool's words and status, nothing lost before it, and a cluster the next command
// can use.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
