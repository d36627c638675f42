import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { ci, POLICY_REPO } from './ciRun.ts';

const LINT = resolve(import.meta.dirname, '../fixtures/lint');
const JUNIT_XSD = readFileSync(resolve(import.meta.dirname, '../fixtures/junit/junit-10.xsd'), 'utf8');

describe('cilium-sim lint', () => {
  it('finds nothing wrong in the fixture repository: exit 0', () => {
    const r = ci('lint', ['apps', 'policies', 'tests'], POLICY_REPO);

    expect(r.code).toBe(0);
    expect(r.out).toBe('Linted 3 policies for Cilium 1.16.0: no problems found.\n');
  });

  it('judges selectors against the workloads of every file named: a policy for pods no file runs selects nothing', () => {
    expect(ci('lint', ['clean.yaml'], LINT).code).toBe(0);
    expect(ci('lint', ['clean.yaml', 'traps.yaml'], LINT).out).toContain(
      'clean.yaml:6: warning selects-nothing: CiliumNetworkPolicy default/web spec.endpointSelector',
    );
  });

  it("reports each finding at its file and line, with what happens, Cilium's words and the fix: exit 1", () => {
    const r = ci('lint', ['traps.yaml'], LINT);

    expect(r.code).toBe(1);
    expect(r.out.split('\n').filter((l) => l.startsWith('traps.yaml:'))).toEqual([
      'traps.yaml:23: error fqdn-without-dns-proxy: CiliumNetworkPolicy default/egress spec.egress[0].toFQDNs[0]',
      'traps.yaml:31: error to-services-with-ports: CiliumNetworkPolicy default/egress spec.egress[1].toPorts',
      'traps.yaml:41: warning selects-nothing: CiliumNetworkPolicy default/typo spec.endpointSelector',
    ]);
    expect(r.out).toContain('  Cilium: Combining ToServices and ToPorts is not supported yet\n');
    expect(r.out).toContain('  Fix: Add an egress rule to kube-dns');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('Linted 3 policies for Cilium 1.16.0: 2 errors, 1 warning, 0 info.');
  });

  it('adds what changed between versions with --cilium-version', () => {
    const r = ci('lint', ['traps.yaml', '--cilium-version', '1.19'], LINT);
    const lines = r.out.split('\n').filter((l) => l.startsWith('traps.yaml:'));

    expect(lines).toContain('traps.yaml:58: error requires-removed: CiliumNetworkPolicy default/legacy spec.ingress[0].fromRequires');
    expect(lines.some((l) => l.includes('to-services-with-ports'))).toBe(false);
    expect(ci('lint', ['traps.yaml', '--cilium-version', '1.13'], LINT)).toMatchObject({ code: 2 });
  });

  it('annotates the lines in the GitHub format: errors, warnings and notices', () => {
    const r = ci('lint', ['traps.yaml', '--cilium-version', '1.19', '--format', 'github'], LINT);
    const annotations = r.out
      .split('\n')
      .filter((l) => l.startsWith('::'))
      .map((l) => l.slice(0, l.indexOf('::', 2)));

    expect(annotations).toEqual([
      '::error file=traps.yaml,line=23,title=fqdn-without-dns-proxy',
      '::warning file=traps.yaml,line=41,title=selects-nothing',
      '::notice file=traps.yaml,line=46,title=policy-default-local-cluster',
      '::error file=traps.yaml,line=58,title=requires-removed',
    ]);
  });

  it('writes JUnit the schema accepts: one case per policy, failed when it has an error or a warning', async () => {
    const r = ci('lint', ['traps.yaml', '--format', 'junit'], LINT);
    const result = await validateXML({ xml: [{ fileName: 'lint.xml', contents: r.out }], schema: [JUNIT_XSD] });

    expect(result.errors).toEqual([]);
    expect(r.out).toContain('<testsuites name="cilium-sim lint" tests="3" failures="2" errors="0"');
    expect(r.out).toContain('<testcase name="CiliumNetworkPolicy default/legacy" classname="traps.yaml" time="0.000"/>');
  });

  it('exits 2 for a file that is not YAML, naming the line', () => {
    const r = ci('lint', ['-'], LINT, { stdin: 'kind: CiliumNetworkPolicy\nspec: [unclosed\n' });

    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^-:\d: yaml: line \d/);
  });

  it('lists its rules', () => {
    const r = ci('lint', ['--rules'], LINT);

    expect(r.out.split('\n')[0]).toMatch(/^CODE +SEVERITY +VERSIONS +FINDS$/);
    expect(r.out).toMatch(
      /\nrequires-removed +error +1\.19-1\.20, with --cilium-version +fromRequires\/toRequires are refused \(1\.19\+\)\n/,
    );
  });
});
