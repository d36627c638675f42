// The Star Wars mutual-authentication lab typed into the REPL: the walkthrough's literal
// lines (comments, `\` continuations, VAR=$(...), jsonpath filters, grep alternation) are
// piped into startRepl as a learner's terminal would receive them, on the scenario's cluster.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '@cilium-sim/scenarios';
import { startRepl } from '../src/repl.ts';
import { completer, helpText } from '../src/replHelp.ts';
import { scenarioClusterOptions } from '../src/scenarioRunner.ts';
import { createSimulator } from '../src/simulator.ts';
import { nodeHostFiles } from '../src/node/nodeHostFiles.ts';

async function pipeLab(name: string): Promise<{ text: string; code: number }> {
  const scenario = loadScenario(name);
  const sim = createSimulator(scenarioClusterOptions(scenario), nodeHostFiles(process.cwd()), scenario.files);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = startRepl({ input, output, session: sim.session, isTTY: false, complete: completer(sim.cluster), help: helpText });
  input.end(scenario.script);
  const code = await done;
  // Writes reach the 'data' listener asynchronously: wait until the last one has.
  output.end();
  await finished(output);
  return { text, code };
}

/** The output of the command typed on the prompt line that starts with `line`, up to the next prompt. */
function outputOf(text: string, line: string): string {
  const start = text.indexOf(`root@server:~# ${line}`);
  expect(start, line).toBeGreaterThanOrEqual(0);
  const afterPrompt = text.slice(start).split('\n').slice(1);
  const body: string[] = [];
  for (const l of afterPrompt) {
    if (l.startsWith('root@server:~# ')) break;
    if (!l.startsWith('> ')) body.push(l);
  }
  return body.join('\n');
}

describe('the Star Wars mutual-authentication lab piped into the REPL', async () => {
  const { text, code } = await pipeLab('star-wars-mutual-auth');

  it('reaches the end of the lab and leaves with status 0', () => {
    expect(code).toBe(0);
    expect(text).not.toMatch(/command not found|internal error|unsupported shell syntax|unterminated/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/msg="Successfully authenticated"/);
  });

  it('joins `\\` continuations under a > prompt and runs them as one command', () => {
    expect(text).toContain(
      'root@server:~# kubectl exec tiefighter -- \\\n>   curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing\nShip landed\n',
    );
  });

  it('shows the mesh-auth settings, landings, the denied exhaust port and the xwing timeout', () => {
    expect(outputOf(text, 'cilium config view | grep mesh-auth')).toMatch(/^mesh-auth-enabled +true$/m);
    expect(outputOf(text, 'cilium config view | grep mesh-auth')).toMatch(/^mesh-auth-mutual-listener-port +4250$/m);
    // The proxy's 403 body is Envoy's, CRLF included.
    expect(text).toContain('\nAccess denied\r\n');
    expect(text).toContain('\ncommand terminated with exit code 28\n');
  });

  it('shows the first SYN dropped for authentication, then ALLOWED with Auth: SPIRE', () => {
    const drops = outputOf(text, 'hubble observe --type drop --from-pod default/tiefighter');
    expect(drops).toMatch(
      /default\/tiefighter:\d+ \(ID:\d+\) <> default\/deathstar-[a-z0-9-]+:80 \(ID:\d+\) Authentication required DROPPED \(TCP Flags: SYN\)/,
    );
    const verdicts = outputOf(text, 'hubble observe --type policy-verdict --from-pod default/tiefighter');
    expect(verdicts).toContain('policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)');
    expect(verdicts).toContain('policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)');
  });

  it('answers the SPIRE commands run through kubectl exec', () => {
    expect(text).toContain('\nServer is healthy.\n');
    expect(text).toContain('\nFound 3 attested agents:\n');
  });

  it('keeps VAR=$(... -o jsonpath) between lines and expands $VAR', () => {
    const id = outputOf(text, 'echo $IDENTITY_ID').trim();
    expect(id).toMatch(/^\d+$/);
    expect(
      outputOf(
        text,
        'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \\\n>   /opt/spire/bin/spire-server entry show -spiffeID',
      ),
    ).toContain(`SPIFFE ID        : spiffe://spiffe.cilium/identity/${id}\n`);
    // A jsonpath filter expression picked the agent pod of each worker node.
    expect(outputOf(text, 'echo $CILIUM_KIND_WORKER2').trim()).toMatch(/^cilium-[a-z0-9]{5}$/);
  });

  it('greps the agent log for the handshake with \\| alternation', () => {
    const logs = outputOf(text, 'kubectl -n kube-system -c cilium-agent logs $CILIUM_KIND_WORKER2 --timestamps=true | grep');
    for (const msg of [
      'Policy is requiring authentication',
      'Validating Server SNI',
      'Validated certificate',
      'Successfully authenticated',
    ]) {
      expect(logs).toContain(`level=debug msg="${msg}"`);
    }
    expect(
      logs
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => /Policy is requiring authentication|Validating Server SNI|Validated certificate|Successfully authenticated/.test(l)),
    ).toBe(true);
  });

  it('prints the same transcript on a second run', async () => {
    expect((await pipeLab('star-wars-mutual-auth')).text).toBe(text);
  });
});
