// The traffic-in-and-out walkthrough checked against what its README promises, step by step.
import { describe, expect, it } from 'vitest';
import { outputsOf, runSteps } from './transcript.ts';

const BILLING_IP = 'kubectl exec -n tenant-a deploy/billing -- curl -s http://203.0.113.10/ip';
const CART = 'outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart/items';

describe('scenario traffic-in-and-out', () => {
  const { steps, ok } = runSteps('traffic-in-and-out');

  it('runs the whole walkthrough', () => {
    expect(ok).toBe(true);
  });

  it('shows the node address before the policy and the gateway address after it', () => {
    expect(outputsOf(steps, BILLING_IP).map((o) => JSON.parse(o).origin)).toEqual(['172.18.0.3', '172.18.0.4']);
    expect(JSON.parse(outputsOf(steps, 'kubectl exec neighbour -- curl -s http://203.0.113.10/ip')[0]!).origin).toBe('172.18.0.3');
    expect(JSON.parse(outputsOf(steps, 'kubectl exec -n tenant-a deploy/billing -- curl -s http://203.0.113.250/ip')[0]!).origin).toBe(
      '172.18.0.3',
    );
  });

  it('refuses the egress gateway without BPF masquerading, in the agent log', () => {
    expect(outputsOf(steps, 'kubectl -n kube-system logs ds/cilium | tail -1')[0]).toContain('level=fatal msg="egress gateway requires');
  });

  it('lists the egress map with the excluded CIDR and no egress IP off the gateway', () => {
    const table = outputsOf(steps, 'kubectl -n kube-system exec ds/cilium -- cilium-dbg bpf egress list')[0]!.split('\n');
    expect(table[0]).toMatch(/^Source IP +Destination CIDR +Egress IP +Gateway IP$/);
    expect(table.filter((l) => / 203\.0\.113\.0\/24 +0\.0\.0\.0 +172\.18\.0\.4$/.test(l))).toHaveLength(2);
    expect(table.filter((l) => l.endsWith('Excluded CIDR'))).toHaveLength(2);
  });

  it('programs the Gateway once Gateway API is on, and routes /cart to the cart with the path rewritten', () => {
    expect(outputsOf(steps, 'kubectl get gateway -n shop')[0]).toMatch(/storefront +cilium +Unknown/);
    expect(outputsOf(steps, 'kubectl get gateway,httproute -n shop')[0]).toMatch(/storefront +cilium +172\.18\.255\.200 +True/);
    expect(outputsOf(steps, CART)).toEqual(['GET /api/items OK', 'GET /api/items OK']);
  });

  it('shows both legs: Envoy’s L7 records, then the connection from the ingress identity', () => {
    expect(outputsOf(steps, 'hubble observe --type l7')[0]).toMatch(
      /-> shop\/cilium-gateway-storefront:80 \(world\) http-request FORWARDED/,
    );
    expect(outputsOf(steps, 'hubble observe --to-pod shop/cart')[0]).toMatch(
      /^\S+ +\S+ \S+ 10\.244\.\d+\.255:\d+ \(ingress\) -> shop\/cart-/,
    );
  });

  it('admits only the ingress identity at the backends: a pod calling the cart directly is dropped', () => {
    expect(outputsOf(steps, 'kubectl exec -n shop reporting -- curl -s --connect-timeout 2 http://cart/api/items')).toEqual([
      'command terminated with exit code 28',
    ]);
    expect(outputsOf(steps, 'hubble observe -n shop --type drop')[0]).toContain('shop/reporting');
  });
});
