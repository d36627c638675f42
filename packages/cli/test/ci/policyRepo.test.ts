import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { ci, POLICY_REPO, repoCopy } from './ciRun.ts';

// The fixture repository a policy author keeps: apps, policies, and ConnectivityTest files.
// `cilium-sim test` is what their CI runs on it.
const JUNIT_XSD = readFileSync(resolve(import.meta.dirname, '../fixtures/junit/junit-10.xsd'), 'utf8');

/** `PASS`/`FAIL` and the case of every result line. */
function verdicts(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^(PASS|FAIL) {2}/.test(l))
    .map((l) => l.replace(/: .*$/, ''));
}

describe('cilium-sim test on a policy repository', () => {
  it('passes the suite as written: exit 0, one line per case', () => {
    const r = ci('test', ['tests'], POLICY_REPO);

    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(verdicts(r.out)).toEqual([
      'PASS  star-wars  default/tiefighter -> deathstar.default.svc.cluster.local TCP/80 POST /v1/request-landing',
      'PASS  star-wars  default/xwing -> default/deathstar TCP/80',
      'PASS  star-wars  external:198.51.100.7 -> default/web TCP/80',
      'PASS  star-wars  host -> default/web TCP/80',
      'PASS  star-wars  default/app -> 10.96.0.10 UDP/53 dns example.com',
      'PASS  star-wars  default/app -> api.example.com TCP/443 tls api.example.com',
      'PASS  star-wars  default/tiefighter -> default/deathstar TCP/80 PUT /v1/exhaust-port',
      'PASS  web  the client reaches the web service by name',
      'PASS  web  other pods cannot call the web pods',
      'PASS  web  the client cannot reach other outside names',
      'PASS  web  the client reaches nothing else of the web pods',
    ]);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('11 passed, 0 failed (2 tests, 11 cases)');
  });

  it('fails exactly the cases a broken policy breaks, naming the policy in the decision', () => {
    const repo = repoCopy();
    // The web pods now trust a label no client has.
    repo.edit('policies/web.yaml', (t) => t.replace('app: client', 'app: frontend'));

    const r = ci('test', ['tests'], repo.dir);

    expect(r.code).toBe(1);
    expect(verdicts(r.out).filter((l) => l.startsWith('FAIL'))).toEqual(['FAIL  web  the client reaches the web service by name']);
    const failure = r.out.slice(r.out.indexOf('FAIL  web'));
    expect(failure).toContain('expected 200, observed deny');
    expect(failure).toContain('at tests/web.yaml:25');
    expect(failure).toContain('CiliumNetworkPolicy default/web-ingress (spec) selects it, with ingress rules.');
    expect(failure).toContain('CiliumNetworkPolicy default/web-ingress spec.ingress[0] does not apply');
    expect(failure).toMatch(/policy-verdict:none INGRESS DENIED/);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('10 passed, 1 failed (2 tests, 11 cases)');
  });

  it('exits 2 for a malformed test file, naming the file and the line', () => {
    const repo = repoCopy();
    repo.edit('tests/star-wars.yaml', (t) => t.replace('expect: 403', 'expect: maybe'));

    const r = ci('test', ['tests'], repo.dir);

    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'tests/star-wars.yaml:15: spec.cases[6].expect: expect is allow, deny, refused, auth-required or an HTTP status such as 403\n',
    );
  });

  it('exits 2 for a case naming a pod that does not exist, and for a manifest the API server refuses, at their lines', () => {
    const repo = repoCopy();
    repo.edit('tests/star-wars.yaml', (t) => t.replace('from: default/xwing', 'from: default/ywing'));
    expect(ci('test', ['tests/star-wars.yaml'], repo.dir).err).toBe(
      'tests/star-wars.yaml:10: spec.cases[1].from: no pod or deployment "ywing" in namespace default\n',
    );

    const other = repoCopy();
    other.edit('policies/web.yaml', (t) => t.replace('port: "80"', 'port: "99999"'));
    const r = ci('test', ['tests/web.yaml'], other.dir);

    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'policies/web.yaml:16: CiliumNetworkPolicy default/web-ingress: spec.ingress[0].toPorts[0].ports[0].port: port 99999 is out of range; use 0..65535 (0 means every port)\n',
    );
  });

  it("points a refused object's field at its line in an inline manifest and in a file of tests and manifests", () => {
    const repo = repoCopy();
    repo.edit('tests/web.yaml', (t) =>
      t.replace('image: curlimages/curl:8.7.1\n', 'image: curlimages/curl:8.7.1\n            ports: [{ containerPort: 70000 }]\n'),
    );
    const inline = ci('test', ['tests/web.yaml'], repo.dir);

    expect(inline.code).toBe(2);
    expect(inline.err).toBe(
      'tests/web.yaml:20: spec.manifests[1]: Pod default/app2: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n',
    );

    const test =
      'apiVersion: cilium-sim.io/v1alpha1\nkind: ConnectivityTest\nmetadata: { name: t }\nspec:\n  cases: [{ from: default/app, to: default/web, expect: allow }]\n';
    const policy =
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: x }\nspec:\n  endpointSelector: {}\n  ingress:\n  - toPorts: [{ ports: [{ port: "99999" }] }]\n';
    const mixed = ci('test', ['apps/web.yaml', '-'], repo.dir, { stdin: `${test}---\n${policy}` });

    expect(mixed.code).toBe(2);
    expect(mixed.err).toBe(
      '-:13: CiliumNetworkPolicy default/x: spec.ingress[0].toPorts[0].ports[0].port: port 99999 is out of range; use 0..65535 (0 means every port)\n',
    );
  });

  it('writes malformed input into the JUnit and TAP reports as errors at their lines, not an empty report', async () => {
    const repo = repoCopy();
    repo.edit('tests/star-wars.yaml', (t) => t.replace('from: default/xwing', 'from: default/ywing'));

    const junit = ci('test', ['tests/star-wars.yaml', '--format', 'junit'], repo.dir);
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: junit.out }], schema: [JUNIT_XSD] });
    const tap = ci('test', ['tests/star-wars.yaml', '--format', 'tap'], repo.dir);

    expect(junit.code).toBe(2);
    expect(result.errors).toEqual([]);
    expect(junit.out).toContain('<testsuites name="cilium-sim test" tests="1" failures="0" errors="1"');
    expect(junit.out).toContain(
      '<error message="spec.cases[1].from: no pod or deployment &quot;ywing&quot; in namespace default" type="malformed">tests/star-wars.yaml:10',
    );
    expect(tap.code).toBe(2);
    expect(tap.out).toMatch(/^TAP version 14\n1\.\.1\nnot ok 1 - tests\/star-wars\.yaml:10\n/);
  });

  it('writes a JUnit report the JUnit XML schema accepts, failures included', async () => {
    const repo = repoCopy();
    repo.edit('policies/web.yaml', (t) => t.replace('app: client', 'app: frontend'));

    const r = ci('test', ['tests', '--format', 'junit'], repo.dir);
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: r.out }], schema: [JUNIT_XSD] });

    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(r.out).toContain('<testsuites name="cilium-sim test" tests="11" failures="1" errors="0"');
    expect(r.out).toContain('<testsuite name="web" tests="4" failures="1" errors="0" skipped="0"');
    expect(r.out).toMatch(
      /<failure message="expected 200, observed deny: [^"]*" type="web: the client reaches the web service by name">tests\/web.yaml:25/,
    );
  });

  it('annotates the failing case at its line of the test file in the GitHub format', () => {
    const repo = repoCopy();
    repo.edit('policies/web.yaml', (t) => t.replace('app: client', 'app: frontend'));

    const r = ci('test', ['tests', '--format', 'github'], repo.dir);
    const annotations = r.out.split('\n').filter((l) => l.startsWith('::'));

    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^::error file=tests\/web.yaml,line=25,title=web%3A the client reaches the web service by name::expected 200, observed deny: /,
    );
    expect(annotations[0]).toContain('%0Aat tests/web.yaml:25%0A');
  });

  it("prints TAP with a YAML block under each failure, and JSON with the flows in Hubble's shape", () => {
    const repo = repoCopy();
    repo.edit('policies/web.yaml', (t) => t.replace('app: client', 'app: frontend'));

    const tap = ci('test', ['tests/web.yaml', '--format', 'tap'], repo.dir).out.split('\n');
    const json = JSON.parse(ci('test', ['tests/web.yaml', '--format', 'json'], repo.dir).out);

    expect(tap.slice(0, 4)).toEqual(['TAP version 14', '1..4', 'not ok 1 - web: the client reaches the web service by name', '  ---']);
    expect(tap).toContain('    file: tests/web.yaml');
    expect(tap).toContain('    line: 25');
    expect(json.failed).toBe(1);
    const failed = json.tests[0].cases[0];
    expect([failed.expected, failed.observed, failed.line]).toEqual([200, 'deny', 25]);
    expect(
      failed.flows.some(
        (f: { verdict: string; drop_reason_desc?: string }) => f.verdict === 'DROPPED' && f.drop_reason_desc === 'POLICY_DENIED',
      ),
    ).toBe(true);
    expect(failed.decision.allowed).toBe(false);
  });

  it('records what the cluster did as a baseline beside the test file with --update', () => {
    const repo = repoCopy();
    repo.edit('policies/web.yaml', (t) => t.replace('app: client', 'app: frontend'));

    const r = ci('test', ['tests/web.yaml', '--update'], repo.dir);
    const [[path, text]] = [...r.written];

    expect(r.code).toBe(0);
    expect(path).toBe(resolve(repo.dir, 'tests/web.baseline.yaml'));
    expect(r.err).toBe('wrote tests/web.baseline.yaml: 4 cases, 1 changed\n');
    // Only the failing case's expectation changes; everything else stays byte for byte.
    const original = readFileSync(resolve(repo.dir, 'tests/web.yaml'), 'utf8');
    expect(text).toBe(original.replace(/(http: \{ path: \/ \}\n\s+expect: )200\n/, '$1deny\n'));
    expect(text).not.toBe(original);
  });

  it('reads a test from standard input and applies the other files named as shared manifests', () => {
    const test = readFileSync(resolve(POLICY_REPO, 'tests/star-wars.yaml'), 'utf8').replace(/manifests: \[.*\]/, 'manifests: []');

    const r = ci('test', ['apps', 'policies', '-'], POLICY_REPO, { stdin: test });

    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(verdicts(r.out)).toHaveLength(7);
  });

  it('is deterministic: the same files and seed print the same bytes', () => {
    const a = ci('test', ['tests', '--format', 'json'], POLICY_REPO);
    const b = ci('test', ['tests', '--format', 'json'], POLICY_REPO);

    expect(a.out).toBe(b.out);
  });
});
