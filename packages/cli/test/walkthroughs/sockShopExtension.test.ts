import { loadScenario } from '@cilium-sim/scenarios';
import { describe, expect, it } from 'vitest';
import { clusterOptions } from '../../src/globalOptions.ts';
import { createSimulator, type Simulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// The sock-shop mTLS post outside the bundled walkthrough: a learner starts `cilium-sim run` or
// `repl` with `--extension spiffe-tls-upgrade` (or switches it on with `cilium config set`),
// deploys the shop from the post's URL, registers the SPIFFE IDs by hand and applies the post's
// own policy file. carts is then reached over TLS on 443, and a peer ID not in the list is refused.
const FILES = loadScenario('sock-shop-tls').files;
const SHOP = 'https://raw.githubusercontent.com/kubearmor/KubeArmor/main/examples/sock-shop/sock-shop-deployment.yaml';
const SERVER = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server';
const PARENT = 'spiffe://example.org/ns/cilium-spire/sa/spire-agent';
const register = (name: string): string =>
  `${SERVER} entry create -spiffeID spiffe://example.org/${name} -parentID ${PARENT} -selector k8s:ns:sock-shop -selector k8s:pod-label:name:${name}`;

function shop(flags: Parameters<typeof clusterOptions>[0]): { sim: Simulator; run: (line: string) => string } {
  const sim = createSimulator(clusterOptions(flags), nodeHostFiles(process.cwd()), FILES);
  const run = (line: string): string => {
    const r = sim.session.run(line);
    return `${r.stdout}${r.stderr}${r.exitCode === 0 ? '' : `[exit ${r.exitCode}]\n`}`;
  };
  run(`kubectl apply -f ${SHOP}`);
  run(`${SERVER} entry create -node -spiffeID ${PARENT} -selector k8s_psat:agent_ns:cilium-spire -selector k8s_psat:agent_sa:spire-agent`);
  run(register('front-end'));
  run(register('carts'));
  return { sim, run };
}

const CURL = 'kubectl exec -n sock-shop deploy/front-end -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items';

describe('the spiffe-tls-upgrade extension, by option', () => {
  it('is refused without the extension, saying how to turn it on', () => {
    const { run } = shop({ 'trust-domain': 'example.org' });
    expect(run('kubectl apply -f manifests/carts-tls-upgrade.yaml')).toBe(
      'Error from server (BadRequest): error when creating "manifests/carts-tls-upgrade.yaml": CiliumNetworkPolicy sock-shop/front-end-originate-tls-to-carts: spec.egress[0].toPorts[0].originatingTLS.spiffe: unknown field "spiffe": it comes from AccuKnox\'s Cilium fork, not upstream Cilium; enable the spiffeTlsUpgrade extension to use it (start cilium-sim with --extension spiffe-tls-upgrade, or run cilium config set enable-spiffe-tls-upgrade true)\n' +
        'Error from server (BadRequest): error when creating "manifests/carts-tls-upgrade.yaml": CiliumNetworkPolicy sock-shop/carts-terminate-tls: spec.ingress[0].toPorts[0].terminatingTLS.spiffe: unknown field "spiffe": it comes from AccuKnox\'s Cilium fork, not upstream Cilium; enable the spiffeTlsUpgrade extension to use it (start cilium-sim with --extension spiffe-tls-upgrade, or run cilium config set enable-spiffe-tls-upgrade true)\n' +
        '[exit 1]\n',
    );
  });

  it.each([
    ['--extension spiffe-tls-upgrade', { extension: ['spiffe-tls-upgrade'], 'trust-domain': 'example.org' }, []],
    ['cilium config set', { 'trust-domain': 'example.org' }, ['cilium config set enable-spiffe-tls-upgrade true']],
  ])("applies the post's policy with %s and reaches carts over TLS with the SPIFFE peer check", (_, flags, enable) => {
    const { run } = shop(flags);
    for (const line of enable) run(line);
    expect(run('kubectl apply -f manifests/carts-tls-upgrade.yaml')).toBe(
      'ciliumnetworkpolicy.cilium.io/front-end-originate-tls-to-carts created\nciliumnetworkpolicy.cilium.io/carts-terminate-tls created\n',
    );
    expect(run(CURL)).toBe('200');
    const http = run('hubble observe --from-pod sock-shop/front-end --to-pod sock-shop/carts --protocol http -o json');
    const ports = http
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { flow: { l4?: { TCP?: { destination_port?: number } } } }).flow.l4?.TCP?.destination_port);
    expect(ports).toContain(80);
    expect(ports).toContain(443);

    run(register('orders'));
    expect(run('kubectl apply -f manifests/orders-tls-upgrade.yaml')).toMatch(/created\n$/);
    expect(run('kubectl exec -n sock-shop deploy/orders -- curl -s http://carts/carts/1/items')).toContain(
      'client SPIFFE ID spiffe://example.org/orders is not one of spiffe://example.org/front-end',
    );
  });

  it("runs the tutorial the walkthrough follows (AccuKnox's scenario 03) from its own URLs", () => {
    const sim = createSimulator(
      clusterOptions({ extension: ['spiffe-tls-upgrade'], 'trust-domain': 'example.org' }),
      nodeHostFiles(process.cwd()),
    );
    const run = (line: string): string => {
      const r = sim.session.run(line);
      return `${r.stdout}${r.stderr}`;
    };
    const base = 'https://raw.githubusercontent.com/accuknox/cilium-spire-tutorials/main/scenario03';
    expect(run(`kubectl apply -f ${base}/1-http-sw-app.yaml`)).toBe(
      'serviceaccount/starwars created\nservice/deathstar created\ndeployment.apps/deathstar created\npod/xwing created\n',
    );
    for (const name of ['xwing', 'deathstar'])
      run(`${SERVER} entry create -spiffeID spiffe://example.org/${name} -parentID ${PARENT} -selector k8s:pod-label:class:${name}`);
    expect(run(`kubectl apply -f ${base}/2-mtls-upgrade.yaml`)).toBe(
      'ciliumnetworkpolicy.cilium.io/tls-upgrade-xwing created\nciliumnetworkpolicy.cilium.io/tls-upgrade-deathstar created\nciliumnetworkpolicy.cilium.io/enable-xwing-dns created\n',
    );
    expect(run('kubectl exec xwing -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing')).toBe('Ship landed\n');
  });

  it('refuses an unknown extension by its command-line name', () => {
    expect(() => clusterOptions({ extension: ['tls-everywhere'] })).toThrow(
      '--extension: unknown extension "tls-everywhere"; supported: spiffe-tls-upgrade',
    );
  });
});
