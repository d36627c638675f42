// Hostile and careless input, fifth round: what a user types at each tool that no walkthrough
// shows. Help flags are help, never unknown flags; the agent's one-line status; SPIRE's help as
// mitchellh/cli and Go's flag package print it. Each case asserts what the user sees: the real
// tool's words and status.
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

const sim = createSimulator({ seed: 1 });
sim.session.run('kubectl run web --image=nginx --port=80 && kubectl expose pod web --port=80');

function run(line: string): { output: string; exitCode: number } {
  const r = sim.session.run(line);
  return { output: r.output, exitCode: r.exitCode };
}

const SPIRE = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- spire-server';

describe('-h and --help', () => {
  it.each([
    'kubectl --help',
    'kubectl get pods --help',
    'kubectl get -h',
    'kubectl exec web -h',
    'cilium --help',
    'cilium status -h',
    'cilium-dbg endpoint list --help',
    'hubble -h',
    'hubble observe --last 3 --help',
    'cilium-sim --help',
    'kubectl -n kube-system exec ds/cilium -- cilium-dbg status -h',
  ])('%s prints the tool help with status 0, never an unknown flag', (line) => {
    const r = run(line);
    expect(r.exitCode).toBe(0);
    expect(r.output).not.toMatch(/unknown|needs an argument|Error|error/);
    expect(r.output).toMatch(/^(kubectl|cilium|hubble|cilium-sim) /);
  });

  it('stays the command argument after --, and cilium-sim subcommands keep their own usage', () => {
    expect(run('kubectl exec web -- curl -h').output).not.toMatch(/^kubectl /);
    expect(run('cilium-sim version --help')).toEqual({ output: 'usage: cilium-sim version\n', exitCode: 0 });
  });

  it('asks spire-server for the help of the command it names, as mitchellh/cli does, with status 0', () => {
    const show = run(`${SPIRE} entry show -h`);
    expect(show.exitCode).toBe(0);
    expect(show.output).toMatch(/^Usage of entry show:\n {2}-entryID string\n/);
    expect(show.output).toMatch(/\n {2}-spiffeID string\n\s+The SPIFFE ID of the records to show\nflag: help requested\n$/);
    expect(show.output).not.toContain('flag provided but not defined');
    expect(run(`${SPIRE} healthcheck --help`)).toMatchObject({ exitCode: 0 });
    const group = run(`${SPIRE} entry -help`);
    expect(group).toMatchObject({ exitCode: 0 });
    expect(group.output).toMatch(/^Usage: spire-server entry <subcommand> \[options\] \[args\]\n/);
    // Without a help flag, a group alone is still an error.
    expect(run(`${SPIRE} entry`).exitCode).toBe(1);
  });
});

describe('cilium-dbg status --brief', () => {
  it("prints the agent's one-line summary, in an agent pod and on the host", () => {
    expect(run('kubectl -n kube-system exec ds/cilium -c cilium-agent -- cilium-dbg status --brief')).toEqual({
      output: 'OK\n',
      exitCode: 0,
    });
    expect(run('cilium-dbg status --brief=true')).toEqual({ output: 'OK\n', exitCode: 0 });
    // The full report without it.
    expect(run('cilium-dbg status --brief=false').output).toMatch(/^KVStore: +Ok +Disabled\n/);
  });
});

describe('tee and ~, which scripts use without thinking', () => {
  it('tee copies its input to the terminal and to files, appending with -a, as coreutils does', () => {
    const { session } = createSimulator({ seed: 1 });
    expect(session.run('kubectl get svc kubernetes -o name | tee svc.txt | wc -l').output).toBe('1\n');
    expect(session.run('cat svc.txt').output).toBe('service/kubernetes\n');
    expect(session.run('echo more | tee -a svc.txt other.txt > /dev/null; cat svc.txt other.txt').output).toBe(
      'service/kubernetes\nmore\nmore\n',
    );
    expect(session.run('echo x | tee -x')).toMatchObject({
      output: "tee: invalid option -- 'x'\nTry 'tee --help' for more information.\n",
      exitCode: 1,
    });
  });

  it('expands an unquoted ~ alone or before / to $HOME, in words, assignments and redirections', () => {
    const { session } = createSimulator({ seed: 1 });
    expect(session.run('echo ~ ~/x \'~\' "~/y" ~user a~').output).toBe('/root /root/x ~ ~/y ~user a~\n');
    expect(session.run('X=~/dir; echo $X').output).toBe('/root/dir\n');
    expect(session.run('echo hi > ~/note; cat /root/note').output).toBe('hi\n');
  });
});

describe('help and version of the node and Tetragon tools', () => {
  it('tcpdump -h, --help and --version print on stdout with status 0; an unknown long option is named', () => {
    const help = run('docker exec kind-worker tcpdump -h');
    expect(help.exitCode).toBe(0);
    expect(help.output).toMatch(/^tcpdump version 4\.99\.3\nlibpcap version 1\.10\.3 \(with TPACKET_V3\)\nUsage: tcpdump /);
    expect(run('docker exec kind-worker tcpdump -nnh').output).toBe(help.output);
    expect(run('docker exec kind-worker tcpdump --help').output).toBe(help.output);
    expect(run('docker exec kind-worker tcpdump --version')).toEqual({
      output: 'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\n',
      exitCode: 0,
    });
    const bogus = run('docker exec kind-worker tcpdump --bogus');
    expect(bogus.exitCode).toBe(1);
    expect(bogus.output).toMatch(/^tcpdump: unrecognized option '--bogus'\ntcpdump version/);
  });

  it('tetra getevents -h prints the command help, with status 0', () => {
    const tetra = createSimulator({ seed: 1, tetragon: true });
    const pod = tetra.session.run('kubectl get pods -n kube-system -l app.kubernetes.io/name=tetragon -o name | head -1').stdout.trim();
    const r = tetra.session.run(`kubectl exec -n kube-system ${pod} -c tetragon -- tetra getevents --help`);
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^Print events\n\nUsage:\n {2}tetra getevents \[flags\]\n/);
  });
});

describe('kubectl run and create with values the API server refuses', () => {
  it("word the refusal as kubectl prints the server's Invalid status about the object sent", () => {
    expect(run('kubectl run ÜBER --image=nginx')).toEqual({
      output:
        "The Pod \"ÜBER\" is invalid: metadata.name: Invalid value: \"ÜBER\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')\n",
      exitCode: 1,
    });
    expect(run('kubectl run p --image=nginx --port=99999').output).toBe(
      'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive\n',
    );
    // create deployment wraps the server's error (fmt.Errorf), which names the kind with its group.
    expect(run('kubectl create deployment d --image=nginx --replicas=-1')).toEqual({
      output:
        'error: failed to create deployment: Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
      exitCode: 1,
    });
    expect(run('kubectl create service clusterip S --tcp=80').output).toMatch(
      /^error: failed to create ClusterIP service: Service "S" is invalid: metadata\.name: Invalid value: "S": a DNS-1035 label/,
    );
  });
});

describe("cilium's output option where only the plain output is modelled", () => {
  it.each([
    'cilium endpoint list -o json',
    'cilium-dbg endpoint list -o yaml',
    "cilium identity list -o jsonpath='{.id}'",
    'cilium encrypt status -o json',
  ])('%s is refused by name, never answered with the plain output a script would misread', (line) => {
    const r = run(line);
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^Error: cilium(-dbg)? [a-z ]+ -o \S+ is not modelled in cilium-sim; its plain output is\n$/);
  });
});

describe('grep with a pattern it cannot compile', () => {
  it.each([
    ["grep -E '('", 'Unmatched ( or \\('],
    ["grep '['", 'Unmatched [, [^, [:, [., or [='],
    ["grep -E 'a{2,1}'", 'Invalid content of \\{\\}'],
    ["grep 'a\\{2,1\\}'", 'Invalid content of \\{\\}'],
    ["grep -E 'a\\'", 'Trailing backslash'],
    ["grep -E '[[:foo:]]'", 'Invalid character class name'],
    ["grep -E '[z-a]'", 'Invalid range end'],
  ])('%s says what GNU grep says, with status 2, never the pattern it was translated to', (line, message) => {
    expect(run(`echo abc | ${line}`)).toEqual({ output: `grep: ${message}\n`, exitCode: 2 });
  });
});

describe('words that would exhaust the stack or the memory', () => {
  it('refuses default words (X:-...) nested past 32 levels when the line is parsed, and runs a deep one below it', () => {
    const deep = (n: number) => `echo ${'${X:-'.repeat(n)}deep${'}'.repeat(n)}`;
    expect(run(deep(30))).toEqual({ output: 'deep\n', exitCode: 0 });
    expect(run(deep(2000))).toEqual({ output: 'cilium-sim: parameter expansions nested deeper than 32\n', exitCode: 2 });
  });

  it('refuses a printf width or precision past the output limit instead of building it', () => {
    expect(run("printf '%9999999999d\\n' 1")).toEqual({
      output: 'cilium-sim: printf: 9999999999: Numerical result out of range\n',
      exitCode: 1,
    });
    expect(run("printf '%.99999999999s|\\n' ab").exitCode).toBe(1);
    expect(run("printf '%5d|\\n' 3").output).toBe('    3|\n');
  });
});

describe('kubectl config, which scripts read to check where they run', () => {
  it("answers with kind's one context and refuses what would change the kubeconfig", () => {
    expect(run('kubectl config current-context')).toEqual({ output: 'kind-kind\n', exitCode: 0 });
    expect(run('kubectl config get-contexts').output).toBe(
      'CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n*         kind-kind   kind-kind   kind-kind   \n',
    );
    expect(run('kubectl config use-context kind-kind')).toEqual({ output: 'Switched to context "kind-kind".\n', exitCode: 0 });
    expect(run('kubectl config use-context prod')).toEqual({ output: 'error: no context exists with the name: "prod"\n', exitCode: 1 });
    expect(run('kubectl config view').output).toMatch(/^error: kubectl config view is not modelled in cilium-sim/);
  });
});
