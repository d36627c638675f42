// Each program words an error core refused it with in its own way; the dispatcher asks it for
// the line instead of guessing from the message. Commands run in a session on a Star Wars cluster.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../src/simulator.ts';
import { nodeHostFiles } from '../src/node/nodeHostFiles.ts';

const MANIFESTS = new URL('../../scenarios/scenarios/star-wars/manifests/', import.meta.url);
const files = new Map([['http-sw-app.yaml', readFileSync(new URL('http-sw-app.yaml', MANIFESTS), 'utf8')]]);

describe('errors in each tool words', () => {
  const { session } = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), files);
  session.run('kubectl apply -f http-sw-app.yaml');
  const run = (line: string) => session.run(line).output;

  it('docker names a missing kind node as a missing container', () => {
    expect(run('docker exec kind-worker9 curl http://deathstar')).toBe('Error response from daemon: No such container: kind-worker9\n');
  });

  it('cilium prints cobra Error: with the object and field', () => {
    expect(run('cilium policy trace --src-identity 99999 --dst-identity 2 --dport 80')).toBe(
      'Error: cilium policy trace: --src-k8s-pod: identity 99999 not found\n',
    );
  });

  it('kubectl prints the API server NotFound for a pod it cannot find', () => {
    expect(run('kubectl exec nope -- curl http://deathstar')).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  it('hubble prints its own flag errors', () => {
    expect(run('hubble observe --bogus')).toBe('Error: unknown flag: --bogus\n');
  });
});
