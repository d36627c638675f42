import { resolve } from 'node:path';
import { type ClusterOptions, connectivityTestJsonSchema } from '@cilium-sim/core';
import { type CiEnv, CiUsageError, EXIT, parseCiArgs, reportFormat } from '../ci/ciEnv.ts';
import { githubAnnotations } from '../ci/githubAnnotations.ts';
import { junitReport } from '../ci/junitReport.ts';
import { malformedReport } from '../ci/malformedReport.ts';
import { tapReport } from '../ci/tapReport.ts';
import { baselineFiles } from './baseline.ts';
import { testJson, testSuites } from './testReports.ts';
import { runTestFiles, type TestFileResult } from './testRun.ts';
import { testText } from './testText.ts';

export const TEST_USAGE = `usage: cilium-sim test [-R] [--format text|junit|tap|json|github] [--update] PATH ...

Runs the ConnectivityTests (apiVersion: cilium-sim.io/v1alpha1) in the files named, each on a
fresh cluster: its manifests are applied, then every case is sent as real traffic. PATH is a
file, a directory (-R: with its subdirectories) or - for standard input; objects of those files
that are not tests are applied before each test's own manifests.

  --format F        text (default), junit, tap, json or github (workflow annotations)
  --update          write NAME.baseline.yaml beside each test file, the expect of each case
                    that did not hold set to what the cluster did
  --schema          print the JSON Schema of test files (shipped as schema/connectivity-test.schema.json)
  -R, --recursive   read directories recursively

The global options (--seed, --nodes, --mutual-auth, --external) override the tests' own.
Exit status: 0 every case passed, 1 a case failed, 2 a malformed test or manifest.
`;

/** `cilium-sim test PATH ...`. */
export function testCommand(args: readonly string[], cluster: ClusterOptions, env: CiEnv): number {
  const { values, positionals } = parseCiArgs(args, {
    format: { type: 'string' },
    update: { type: 'boolean' },
    schema: { type: 'boolean' },
    recursive: { type: 'boolean', short: 'R' },
  });
  if (values['help'] === true) {
    env.out(TEST_USAGE);
    return EXIT.ok;
  }
  if (values['schema'] === true) {
    env.out(`${JSON.stringify(connectivityTestJsonSchema(), null, 2)}\n`);
    return EXIT.ok;
  }
  const format = reportFormat(values['format']);
  if (positionals.length === 0) throw new CiUsageError('test needs a test file or directory: cilium-sim test PATH ...');
  if (values['update'] === true && positionals.includes('-'))
    throw new CiUsageError('--update writes beside each test file; name the files instead of -');
  const run = runTestFiles(positionals, { cwd: env.cwd, recursive: values['recursive'] === true, stdin: env.stdin, cluster });
  if (run.malformed.length > 0) {
    const r = malformedReport('cilium-sim test', format, run.malformed);
    env.err(r.err);
    env.out(r.out);
    return EXIT.malformed;
  }
  env.out(render(format, run.tests));
  if (values['update'] === true) {
    for (const b of baselineFiles(run.tests)) {
      env.writeFile(resolve(env.cwd, b.path), b.text);
      env.err(`wrote ${b.path}: ${b.cases} case${b.cases === 1 ? '' : 's'}, ${b.changed} changed\n`);
    }
    return EXIT.ok;
  }
  return run.tests.every((t) => t.result.passed) ? EXIT.ok : EXIT.failed;
}

function render(format: ReturnType<typeof reportFormat>, tests: readonly TestFileResult[]): string {
  switch (format) {
    case 'text':
      return testText(tests);
    case 'json':
      return testJson(tests);
    case 'junit':
      return junitReport('cilium-sim test', testSuites(tests));
    case 'tap':
      return tapReport(testSuites(tests).flatMap((s) => s.cases.map((c) => ({ ...c, name: `${s.name}: ${c.name}` }))));
    case 'github':
      return `${testText(tests)}${githubAnnotations(testSuites(tests).flatMap((s) => s.cases))}`;
  }
}
