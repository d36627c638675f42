// Here-documents and here-strings as the Cilium labs write them (`kubectl apply -f - <<EOF`,
// `cat <<EOF | kubectl apply -f -`): through a script, the REPL and a single line, against a
// real simulator so the manifest really lands in the cluster.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { startRepl } from '../../src/repl.ts';
import { MAX_LINE_BYTES } from '../../src/shell/session.ts';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator } from '../../src/simulator.ts';

const NAMESPACE = (name: string, indent = ''): string =>
  [`${indent}apiVersion: v1`, `${indent}kind: Namespace`, `${indent}metadata:`, `${indent}  name: ${name}`].join('\n');

function script(text: string): { transcript: string; ok: boolean; exitCode: number; namespaces: string[] } {
  const sim = createSimulator({ seed: 1 });
  const r = runScript(text, sim.session);
  return { ...r, namespaces: sim.cluster.list('Namespace').map((n) => n.metadata.name) };
}

describe('here-documents in a script', () => {
  it('apply a manifest piped from cat <<EOF, expanding $VAR in the body', () => {
    const r = script(`NS=lab\ncat <<EOF | kubectl apply -f -\n${NAMESPACE('$NS')}\nEOF\nkubectl get ns lab -o name`);
    expect(r.transcript).toBe(
      `$ NS=lab\n$ cat <<EOF | kubectl apply -f -\n${NAMESPACE('$NS')}\nEOF\nnamespace/lab created\n$ kubectl get ns lab -o name\nnamespace/lab\n`,
    );
    expect(r.namespaces).toContain('lab');
  });

  it('feed kubectl apply -f - directly, as the labs write it', () => {
    const r = script(`kubectl apply -f - <<EOF\n${NAMESPACE('direct')}\nEOF\n`);
    expect(r.transcript).toMatch(/namespace\/direct created\n$/);
  });

  it("name standard input STDIN in kubectl's errors, and refuse input that holds no object as kubectl does", () => {
    const r = script(
      'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata: { name: x\nEOF\necho "" | kubectl apply -f -\nkubectl create -f - <<< "# nothing"',
    );
    expect(r.transcript.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      expect.stringMatching(/^error: error parsing STDIN: /),
      'error: no objects passed to apply',
      'error: no objects passed to create',
    ]);
    expect(r.namespaces).not.toContain('x');
  });

  it('keep the body as written when the delimiter is quoted (\'EOF\', "EOF", \\EOF)', () => {
    for (const delim of ["'EOF'", '"EOF"', '\\EOF']) {
      const r = script(`X=1\ncat <<${delim}\n$X \`echo hi\` $(echo no) \\$\nEOF`);
      expect(r.transcript).toMatch(/\nEOF\n\$X `echo hi` \$\(echo no\) \\\$\n$/);
    }
  });

  it('expand $VAR, ${VAR:-default}, $(...) and backslash escapes in an unquoted body, without splitting', () => {
    const r = script('A="two  spaces"\ncat <<END\n[$A] ${B:-dflt} $(echo sub) \\$A \\\\ \\x\nEND');
    expect(r.transcript.split('END\n')[2]).toBe('[two  spaces] dflt sub $A \\ \\x\n');
  });

  it('strip the leading tabs of the body and the delimiter with <<-', () => {
    const r = script(`\tcat <<-EOF | kubectl apply -f -\n${NAMESPACE('tabbed', '\t\t')}\n\tEOF\nkubectl get ns -o name`);
    expect(r.transcript).toContain('namespace/tabbed created');
  });

  it('read two here-documents of one line in order, and one inside $(...)', () => {
    expect(script('cat <<A; cat <<B\na\nA\nb\nB').transcript).toMatch(/\na\nb\n$/);
    expect(script('X="$(cat <<EOF\ninner\nEOF\n)"\necho "[$X]"').transcript).toMatch(/\[inner\]\n$/);
  });

  it('feed a here-string <<< with a newline', () => {
    expect(script('X=v\ncat <<< "a $X" | wc -l').transcript).toMatch(/\n1\n$/);
  });

  it('report a here-document without its delimiter with the file and line, and run nothing', () => {
    const sim = createSimulator({ seed: 1 });
    const r = runScript(`kubectl create ns early\ncat <<EOF | kubectl apply -f -\n${NAMESPACE('never')}\n`, sim.session, {
      name: 'lab.sh',
    });
    expect(r).toEqual({ ok: false, exitCode: 2, transcript: "lab.sh:2: here-document delimited by end-of-file (wanted `EOF')\n" });
    expect(sim.cluster.list('Namespace').map((n) => n.metadata.name)).not.toContain('early');
  });

  it('refuses <<- whose delimiter line is indented with spaces, as bash does (only tabs are stripped)', () => {
    const r = script('cat <<-EOF\nbody\n  EOF\n');
    expect(r.transcript).toMatch(/^script\.sh:1: here-document delimited by end-of-file/);
  });

  it('refuses a here-document with no delimiter word', () => {
    expect(script('cat <<\n').transcript).toBe("script.sh:1: syntax error near unexpected token `newline'\n");
    expect(script('cat << | x\n').transcript).toBe("script.sh:1: syntax error near unexpected token `|'\n");
  });

  it(`holds a command and its here-documents to ${MAX_LINE_BYTES} bytes`, () => {
    const body = 'x'.repeat(1024).concat('\n').repeat(1100);
    const r = script(`cat <<EOF | wc -c\n${body}EOF\necho after`);
    expect(r).toMatchObject({
      ok: false,
      transcript: `script.sh:1: command too long (over ${MAX_LINE_BYTES} bytes, here-documents included)\n`,
    });
  });

  it('reads a 50,000-line here-document once, not once a line', () => {
    const body = 'line\n'.repeat(50_000);
    expect(script(`cat <<EOF | wc -l\n${body}EOF`).transcript).toMatch(/\n50000\n$/);
  });
});

describe('here-documents in the REPL', () => {
  async function repl(text: string): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const done = startRepl({ input, output, session: createSimulator({ seed: 1 }).session, isTTY: false });
    input.end(text);
    await done;
    output.end();
    await finished(output);
    return out;
  }

  it('asks for the body with > and applies it at the delimiter', async () => {
    const out = await repl(`cat <<EOF | kubectl apply -f -\n${NAMESPACE('repl')}\nEOF\nkubectl get ns repl -o name\n`);
    expect(out).toBe(
      [
        'root@server:~# cat <<EOF | kubectl apply -f -',
        ...NAMESPACE('repl')
          .split('\n')
          .map((l) => `> ${l}`),
        '> EOF',
        'namespace/repl created',
        'root@server:~# kubectl get ns repl -o name',
        'namespace/repl',
        '',
      ].join('\n'),
    );
  });

  it('takes a 1,000-line body, past the 500-line limit of an open quote', async () => {
    const out = await repl(`cat <<EOF | wc -l\n${'y\n'.repeat(1000)}EOF\necho done\n`);
    expect(out).toMatch(/\n1000\nroot@server:~# echo done\ndone\n/);
  });

  it('refuses a body over the limit once its delimiter comes, never running its lines as commands', async () => {
    const line = 'x'.repeat(600_000);
    const out = await repl(`cat <<EOF\n${line}\n${line}\nEOF\necho after\n`);
    expect(out).not.toContain('command not found');
    expect(out).toMatch(
      /cilium-sim: here-document too long \(a command and its here-documents hold at most 1048576 bytes\)\nroot@server:~# echo after\nafter\n/,
    );
  });

  it('reports a here-document still open when the input ends', async () => {
    expect(await repl('cat <<EOF\nbody\n')).toMatch(/cilium-sim: here-document delimited by end-of-file \(wanted `EOF'\)\n/);
  });
});
