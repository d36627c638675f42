// `cilium-sim lab NAME` driven over a pipe, as `printf 'check\n...' | cilium-sim lab NAME` would.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { EXAM_POLICY_WITH_AUTH } from './examPolicy.ts';
import { labCommand } from '../../src/node/labCommand.ts';

async function lab(args: string[], lines: string): Promise<{ text: string; code: number }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = labCommand(args, {}, { input, output, isTTY: false });
  input.end(lines);
  const code = await done;
  output.end();
  await finished(output);
  return { text, code };
}

const FIXED = EXAM_POLICY_WITH_AUTH.trimEnd();

describe('cilium-sim lab mutual-auth-example over a pipe', () => {
  it('prints the setup and the task, fails check, then passes after the learner fixes the policy', async () => {
    const { text, code } = await lab(
      ['mutual-auth-example'],
      `check\necho '${FIXED}' > fixed.yaml\nkubectl apply -f fixed.yaml\ncheck\nexit\n`,
    );

    expect(text.startsWith('Setting up the lab...\n$ kubectl apply -f manifests/mutual-auth-example.yaml\nservice/echo created\n')).toBe(
      true,
    );
    expect(text).toContain('\nLab: Require mutual authentication for echo\n');
    const [first, second] = text.split('root@server:~# check\n').slice(1);
    expect(first).toContain(
      'FAIL  A policy selecting echo requires mutual authentication for ingress from pod-worker.\n      the ingress rule on echo has no authentication.mode: required',
    );
    expect(first).toContain('3 of 5 checks failed.\n');
    expect(text).toContain('root@server:~# kubectl apply -f fixed.yaml\nciliumnetworkpolicy.cilium.io/no-mutual-auth-echo configured\n');
    expect(second).toContain('All 5 checks passed: task "Require mutual authentication for echo" complete.\n');
    expect(code).toBe(0);
  });

  it('answers help with the lab commands', async () => {
    const { text } = await lab(['mutual-auth-example'], 'help\nhelp check\n');
    expect(text).toContain('Lab:\n  check   grade the cluster as it is now');
    expect(text).toContain(
      'root@server:~# help check\ncheck   grade the cluster as it is now against the lab task (also: cilium-sim check)\n',
    );
  });
});

describe('cilium-sim lab', () => {
  it('lists the labs without a name', async () => {
    const { text, code } = await lab([], '');
    expect(text).toMatch(/^Labs \(cilium-sim lab NAME\):\n {2}mutual-auth-example +Require mutual authentication for echo\n/);
    expect(code).toBe(0);
  });
});
