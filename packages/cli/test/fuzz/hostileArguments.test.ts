// Hostile arguments, fourth round: the workload tools refuse what their real counterparts refuse,
// in their own words and exit statuses (never the library's option names), and every `cilium-sim`
// subcommand inside a session refuses flags it does not take.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

const sim = createSimulator({ seed: 1 });
sim.session.run('kubectl run web --image=nginx --port=80 && kubectl expose pod web --port=80');

/** Words of the library's options and schema checks, which a terminal must never show. */
const LIBRARY_WORDS =
  /maxTimeMs|connectTimeoutMs|timeoutS|expected a number from|received (-?\d|"|undefined|NaN)|SimError|optionsError|\bzod\b/;

function run(line: string): { output: string; exitCode: number } {
  const r = sim.session.run(line);
  return { output: r.output, exitCode: r.exitCode };
}

describe('workload tools refuse bad arguments in their own words', () => {
  it.each([
    [
      'curl -m 99999999999999 http://web',
      "curl: option -m: too large number (cilium-sim waits at most 86400 seconds)\ncurl: try 'curl --help' for more information\n",
      2,
    ],
    [
      'curl -sm abc http://web',
      "curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' for more information\n",
      2,
    ],
    [
      'curl --max-time -1 http://web',
      "curl: option --max-time: expected a positive numerical parameter\ncurl: try 'curl --help' for more information\n",
      2,
    ],
    [
      'curl --connect-timeout 86401 http://web',
      "curl: option --connect-timeout: too large number (cilium-sim waits at most 86400 seconds)\ncurl: try 'curl --help' for more information\n",
      2,
    ],
    [
      'curl --retry many http://web',
      "curl: option --retry: expected a proper numerical parameter\ncurl: try 'curl --help' for more information\n",
      2,
    ],
    ['nc -z -w 99999999999999 web 80', 'nc: timeout too large: 99999999999999\n', 1],
    ['nc -z -w 100000 web 80', 'nc: timeout too large: 100000 (cilium-sim waits at most 86400 seconds)\n', 1],
    ['nc -z -w -1 web 80', 'nc: timeout too small: -1\n', 1],
    ['nc -z web 80 -w', 'nc: option requires an argument -- w\n', 1],
    ["nslookup web ''", "nslookup: couldn't get address for '': not found\n", 1],
    ['nslookup web no-such-server', "nslookup: couldn't get address for 'no-such-server': not found\n", 1],
    ['dig @ web', "dig: couldn't get address for '': not found\n", 10],
    ['dig @999.1.1.1 web', "dig: couldn't get address for '999.1.1.1': not found\n", 10],
    [
      'grpcurl -plaintext -max-time 1e12 web:80 a.B/C',
      `invalid value "1e12" for flag -max-time: cilium-sim waits at most 86400 seconds\nTry 'grpcurl -help' for more details.\n`,
      2,
    ],
    [
      "grpcurl -plaintext -connect-timeout '' web:80 a.B/C",
      `invalid value "" for flag -connect-timeout: parse error\nTry 'grpcurl -help' for more details.\n`,
      2,
    ],
  ])('%s', (line, stderr, status) => {
    expect(run(`kubectl exec web -- ${line}`)).toEqual({
      output: `${stderr}command terminated with exit code ${status}\n`,
      exitCode: status,
    });
  });

  it('reads an empty name as the root and a server name through DNS, as bind does', () => {
    expect(run("kubectl exec web -- nslookup ''").output).toContain("** server can't find .: NXDOMAIN");
    expect(run('kubectl exec web -- dig +short @kube-dns.kube-system.svc.cluster.local web.default.svc.cluster.local')).toEqual({
      output: `${sim.cluster.get('Service', 'default/web')?.spec.clusterIP}\n`,
      exitCode: 0,
    });
  });

  it('takes the longest wait it states', () => {
    expect(run('kubectl exec web -- curl -s -m 86400 -o /dev/null -w "%{http_code}" http://web')).toEqual({ output: '200', exitCode: 0 });
    expect(run('kubectl exec web -- nc -z -w 86400 web 80').exitCode).toBe(0);
  });

  it('never shows the library option names, whatever number a timeout is given', () => {
    const number = fc.oneof(
      fc.double().map(String),
      fc.bigInt().map(String),
      fc.constantFrom('1e400', '-0', '.5', '5.', '0x10', 'Infinity', 'NaN', '', ' ', '+1', '1_000'),
    );
    const line = fc.tuple(
      fc.constantFrom(
        'curl -m',
        'curl --connect-timeout',
        'nc -z -w',
        'grpcurl -plaintext -max-time',
        'grpcurl -plaintext -connect-timeout',
      ),
      number,
    );
    fc.assert(
      fc.property(line, ([tool, value]) => {
        const target = tool.startsWith('grpcurl') ? 'web:80 a.B/C' : tool.startsWith('nc') ? 'web 80' : 'http://web';
        const r = run(`kubectl exec web -- ${tool} '${value}' ${target}`);
        expect(r.output, `${tool} ${value}`).not.toMatch(LIBRARY_WORDS);
        expect(r.output).not.toMatch(/^error: /m);
      }),
      { numRuns: 60 },
    );
  });
});

describe('cilium-sim subcommands in a session refuse what they do not take', () => {
  it.each([
    ['cilium-sim version --nope', 'error: unknown flag: --nope\nusage: cilium-sim version\n'],
    ['cilium-sim version extra', 'error: unexpected argument extra\nusage: cilium-sim version\n'],
    ['cilium-sim scenario list --nope', 'error: unknown flag: --nope\nusage: cilium-sim scenario list\n'],
    ['cilium-sim check -x', "error: unknown shorthand flag: 'x' in -x\nusage: cilium-sim check\n"],
  ])('%s', (line, output) => {
    expect(run(line)).toEqual({ output, exitCode: 1 });
  });

  it('prints the usage for --help and still answers without flags', () => {
    expect(run('cilium-sim version --help')).toEqual({ output: 'usage: cilium-sim version\n', exitCode: 0 });
    expect(run('cilium-sim version')).toEqual({ output: 'cilium-sim 0.1.0\n', exitCode: 0 });
  });
});

describe('the toolkit and sleep read their arguments as the real tools do', () => {
  it.each([
    [
      'cilium-sim matrix --port 99999/TCP',
      /^error: invalid argument "99999\/TCP" for "--port" flag: port 99999 is out of range; use 1..65535\nusage: /,
      1,
    ],
    ['cilium-sim matrix -n ""', /^error: invalid argument "" for "-n" flag: a namespace name is required\n$/, 1],
    ['cilium-sim replay --with=', /^error: flag needs an argument: --with\nusage: /, 1],
    ['sleep inf', /^sleep: invalid time interval 'inf': cilium-sim advances the virtual clock at most 24h0m0s per sleep/, 1],
    ['sleep --', /^sleep: missing operand\n/, 1],
  ])('%s', (line, output, status) => {
    const r = run(line);
    expect(r.output).toMatch(output);
    expect(r.exitCode).toBe(status);
  });

  it('sleeps for coreutils intervals (1e3, .5, 1d, several summed, after --) on the virtual clock', () => {
    const before = sim.cluster.now().elapsedNs;
    expect(run('sleep -- 1e3 .5 1m')).toEqual({ output: '', exitCode: 0 });
    expect(sim.cluster.now().elapsedNs - before).toBe(1060.5e9);
    expect(run('sleep 1d').exitCode).toBe(0);
  });
});
