// Hostile scripts and command lines, fourth round: what bash does with a byte-order mark, an
// `exit` inside a pipeline, `$@` in a script, and builtins the sandbox's shell leaves out; and odd
// flags of cilium-cli and spire-server, refused in their own words.
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator } from '../../src/simulator.ts';

function script(text: string): { transcript: string; exit: number | undefined } {
  const { session } = createSimulator({ seed: 1 });
  const r = runScript(text, session);
  return { transcript: r.transcript, exit: session.exitRequested };
}

describe('scripts as bash runs them', () => {
  it('reads a script saved with a byte-order mark and CRLF line ends', () => {
    expect(script('\uFEFFecho one\r\necho two\r\n').transcript).toBe('$ echo one\none\n$ echo two\ntwo\n');
  });

  it('ends only the pipeline stage an exit runs in, not the script', () => {
    expect(script('exit 3 | cat\necho "after $?"\n')).toEqual({
      transcript: '$ exit 3 | cat\n$ echo "after $?"\nafter 0\n',
      exit: undefined,
    });
    expect(script('echo x | exit 4\necho "after $?"\n').transcript).toMatch(/after 4\n$/);
  });

  it('expands $@ and $* of a script without arguments to nothing', () => {
    expect(script('echo "[$@][$*]" $@ $* end\n').transcript).toBe('$ echo "[$@][$*]" $@ $* end\n[][] end\n');
  });

  it('expands the word of ${X:-word} as bash does: substitutions, variables, quotes removed, nested braces', () => {
    const r = script(
      [
        'echo ${NOPE:-$(echo sub)} ${NOPE:-$HOME/x}',
        'echo "${NOPE:-"quoted default"}" "${NOPE:-it\'s}"',
        'echo ${NOPE:-a  b} "${NOPE:-a  b}"',
        'echo "${A:-$(echo "${B:-deep}")}"',
      ].join('\n'),
    );
    expect(r.transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual([
      'sub /root/x',
      "quoted default it's",
      'a b a  b',
      'deep',
      '',
    ]);
  });

  it('expands ${#X} to the length of X in characters and ${X:+word} to word when X is set and not empty', () => {
    const r = script(
      [
        'X=héllo; E=',
        'echo ${#X} ${#E} ${#NOPE}',
        'echo "[${X:+set $X}]" "[${E:+set}]" "[${NOPE:+set}]"',
        'set -u',
        'echo "${NOPE:+ok}" done',
      ].join('\n'),
    );
    expect(r.transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual(['5 0 0', '[set héllo] [] []', ' done', '']);
  });

  it('cuts ${X:offset:length} as bash does: a negative offset after a space or in parentheses counts from the end', () => {
    const r = script(
      [
        'x=abcabc; n=2; U=héllo',
        'echo "[${x:1}] [${x: -2}] [${x:1:2}] [${x:(-4):2}] [${x:1:-1}] [${x:10}] [${x: -10}] [${x:0:0}] [${x:-dflt}]"',
        'echo "[${x:n}] [${x:$n:1}] [${U:1:3}]"',
        'echo "${x:2:-5}"',
      ].join('\n'),
    );
    expect(r.transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual([
      '[bcabc] [bc] [bc] [ca] [bcab] [] [] [] [abcabc]',
      '[cabc] [c] [éll]',
      'cilium-sim: -5: substring expression < 0',
      '',
    ]);
  });

  it('replaces ${X/pattern/repl} and ${X//pattern/repl} with glob patterns, longest match first, as bash does', () => {
    const r = script(
      [
        'x=abcabc; e=',
        'echo "[${x/b/Z}] [${x//b/Z}] [${x//b}] [${x/*/Z}] [${x//*/Z}] [${e//*/Z}] [${e/#/Z}] [${x/#a/Z}] [${x/%c/Z}]"',
        'echo "[${x//b*c/Z}] [${x//[ab]/-}] [${x/?/Q}] [${x// /}] [${x//}] [${x/x\\/y/Z}] [${x/#b/Z}] [${x/%*b?/Z}]"',
        'P=pod/echo-7d8b; echo ${P//[!a-z]/_} ${P/\\//:}',
      ].join('\n'),
    );
    expect(r.transcript.split('\n').filter((l) => !l.startsWith('$ '))).toEqual([
      '[aZcabc] [aZcaZc] [acac] [Z] [Z] [Z] [Z] [Zbcabc] [abcabZ]',
      '[aZ] [--c--c] [Qbcabc] [abcabc] [abcabc] [abcabc] [abcabc] [Z]',
      'pod_echo__d_b pod:echo-7d8b',
      '',
    ]);
  });

  it('replaces in time linear in the value, whatever the pattern', () => {
    const start = performance.now();
    const r = script(`X=${'a'.repeat(20000)}; Y=\${X//*a*a*a*b/Z}; Z=\${X//a/b}; echo \${#Y} \${Z:19998}`);
    expect(r.transcript.split('\n').at(-2)).toBe('20000 bb');
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it("decodes \\u and \\U escapes in $'...'", () => {
    expect(script("echo $'\\u2713 \\U1F600'\n").transcript).toBe("$ echo $'\\u2713 \\U1F600'\n✓ 😀\n");
  });

  it('says what is wrong with a YAML alias in yq, as yq does, never an internal error', () => {
    expect(script("echo '*a' | yq .\necho 'a: [*b]' | yq -o json .\n").transcript).toBe(
      "$ echo '*a' | yq .\nError: bad file: yaml: unknown anchor 'a' referenced\n$ echo 'a: [*b]' | yq -o json .\nError: bad file: yaml: unknown anchor 'b' referenced\n",
    );
    const levels = [
      'a: &a [1,1,1,1,1,1,1,1,1]',
      ...'bcdefg'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`),
    ];
    expect(script(`echo '${levels.join('\n')}' | yq -o json .\n`).transcript).toMatch(
      /\nError: bad file: yaml: document contains excessive aliasing\n$/,
    );
  });

  it('refuses a bash builtin it does not run as a builtin, not as a missing program, and goes on', () => {
    const r = script('trap "echo bye" EXIT\nread X\necho next\n');
    expect(r.transcript).toBe(
      [
        '$ trap "echo bye" EXIT',
        'cilium-sim: trap: shell builtin not supported in cilium-sim (`help` lists the commands the shell runs)',
        '$ read X',
        'cilium-sim: read: shell builtin not supported in cilium-sim (`help` lists the commands the shell runs)',
        '$ echo next',
        'next',
        '',
      ].join('\n'),
    );
  });
});

describe('odd flags of cilium and spire-server', () => {
  const sim = createSimulator({ seed: 1 });
  const run = (line: string) => {
    const r = sim.session.run(line);
    return { output: r.output, exitCode: r.exitCode };
  };

  it.each([
    [
      'cilium status --wait-duration abc',
      'Error: invalid argument "abc" for "--wait-duration" flag: time: invalid duration "abc"\nRun \'cilium status --help\' for usage.\n',
    ],
    ['cilium status -o yaml', 'Error: unknown output format "yaml"; use summary or json\n'],
    ['cilium status -o json', 'Error: cilium status -o json is not modelled in cilium-sim; the summary is\n'],
    [
      'cilium encryption status --wait-duration 5',
      'Error: invalid argument "5" for "--wait-duration" flag: time: invalid duration "5"\nRun \'cilium encryption status --help\' for usage.\n',
    ],
  ])('%s', (line, output) => {
    expect(run(line)).toEqual({ output, exitCode: 1 });
  });

  it('refuses a spire-server int flag past Go int64 as the flag package does', () => {
    const r = run(
      'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server entry create -spiffeID spiffe://spiffe.cilium/x -parentID spiffe://spiffe.cilium/ns/spire/sa/spire-agent -selector a:b -x509SVIDTTL 99999999999999999999',
    );
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^invalid value "99999999999999999999" for flag -x509SVIDTTL: value out of range\nUsage of entry create:\n/);
  });

  it("refuses tetra getevents flags it cannot read in tetra's words, naming the flag rather than the library field", () => {
    const tetra = createSimulator({ seed: 1, tetragon: true });
    const t = (args: string) => tetra.session.run(`kubectl exec -n kube-system ds/tetragon -c tetragon -- tetra getevents ${args}`).output;
    expect(t("--pods '('")).toBe(
      'Error: invalid argument for "--pods" flag: "(" is not a valid regular expression (error parsing regexp: missing closing ): `(`)\ncommand terminated with exit code 1\n',
    );
    expect(t('--timeout abc')).toBe(
      'Error: invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\ncommand terminated with exit code 1\n',
    );
    expect(t('--retries x')).toMatch(/^Error: invalid argument "x" for "--retries" flag: strconv.ParseInt: parsing "x": invalid syntax\n/);
  });
});
