import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenarioRunner.ts';
import { podNamesMasked, transcriptSteps, untimed, type Step } from './l7Transcript.ts';

// The bundled sock-shop TLS upgrade (AccuKnox's SPIFFE fork, spiffeTlsUpgrade extension), run
// once on its scenario's cluster (SPIRE without mutual auth, trust domain example.org); each
// test reads the steps it is about from the one transcript.
const run = runScenario('sock-shop-tls');
const steps = transcriptSteps(run.transcript);

/** The output of the `n`th step (from 0) whose command contains `text`. */
function output(text: string, n = 0): string {
  const found = steps.filter((s: Step) => s.command.includes(text));
  const step = found[n];
  if (step === undefined) throw new Error(`no step #${n} containing ${text}`);
  return step.output;
}

function hubble(text: string): string[] {
  return untimed(output(text)).map(podNamesMasked);
}

describe('the sock-shop TLS upgrade walkthrough', () => {
  it('runs to the end with every command understood', () => {
    expect(run.ok).toBe(true);
    expect(run.transcript).not.toMatch(/command not found|internal error|unknown field|BadRequest|NotFound/);
  });

  it('registers workloads by hand in example.org, with no entry of Cilium in the way', () => {
    // Continued commands print their later lines before the output, so read the transcript.
    expect(run.transcript).toContain('  -selector k8s_psat:agent_sa:spire-agent\nEntry ID         : ');
    expect(run.transcript).toContain(
      'SPIFFE ID        : spiffe://example.org/ns/cilium-spire/sa/spire-agent\nParent ID        : spiffe://example.org/spire/server\n',
    );
    const show = run.transcript.split('entry show -spiffeID spiffe://example.org/carts\n')[1] ?? '';
    expect(show).toMatch(
      /^Found 1 entry\n[\s\S]*SPIFFE ID {8}: spiffe:\/\/example.org\/carts\n[\s\S]*Selector {9}: k8s:ns:sock-shop\nSelector {9}: k8s:pod-label:name:carts\n/,
    );
  });

  it('shows the SPIFFE IDs as endpoint labels, with egress enforcement on front-end and ingress on carts', () => {
    const rows = output('cilium endpoint list').split('\n');
    const spiffeRows = rows.filter((l) => l.includes('spiffe://')).map((l) => l.trim());
    expect(spiffeRows).toEqual(['spiffe://example.org/front-end', 'spiffe://example.org/carts']);
    const heads = rows
      .filter((l) => /^\d+ /.test(l))
      .map((l) =>
        l
          .split(/\s{2,}/)
          .slice(1, 3)
          .join(' / '),
      );
    expect(heads).toEqual(['Disabled / Enabled', 'Enabled / Disabled']);
  });

  it('upgrades front-end -> carts:80 to TLS on 443 and still answers 200', () => {
    expect(output('deploy/front-end -- curl', 0)).toBe('200\n');
    expect(output('deploy/front-end -- curl', 1)).toBe('200\n');
    expect(hubble('--from-pod sock-shop/front-end --to-pod sock-shop/carts --protocol http')).toEqual([
      'sock-shop/front-end-*:* (ID:*) -> sock-shop/carts-*:80 (ID:*) http-request FORWARDED (HTTP/1.1 GET http://carts/carts/1/items)',
      'sock-shop/front-end-*:* (ID:*) -> sock-shop/carts-*:443 (ID:*) http-request FORWARDED (HTTP/1.1 GET http://carts/carts/1/items)',
    ]);
  });

  it('keeps orders in clear text and catalogue out', () => {
    expect(output('deploy/orders -- curl -s -o /dev/null')).toBe('200\n');
    expect(output('deploy/catalogue -- curl')).toBe('command terminated with exit code 28\n');
    expect(hubble('--type drop --to-pod sock-shop/carts')[0]).toBe(
      'sock-shop/catalogue-*:* (ID:*) <> sock-shop/carts-*:80 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
    );
  });

  it('refuses a peer ID not in the list: orders gets Envoy 503 and Hubble shows it', () => {
    expect(output('deploy/orders -- curl -s http://carts')).toBe(
      'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: ' +
        'TLS error: client SPIFFE ID spiffe://example.org/orders is not one of spiffe://example.org/front-end\n',
    );
    expect(hubble('--pod sock-shop/orders --protocol http')).toEqual([
      'sock-shop/orders-*:* (ID:*) -> sock-shop/carts-*:80 (ID:*) http-request FORWARDED (HTTP/1.1 GET http://carts/carts/1/items)',
      'sock-shop/orders-*:* (ID:*) <- sock-shop/carts-*:80 (ID:*) http-response FORWARDED (HTTP/1.1 503 0ms (GET http://carts/carts/1/items))',
    ]);
  });
});
