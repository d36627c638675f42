import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parsePolicy.ts';
import { knp } from './fixtures.ts';

/**
 * Kubernetes' rule, transcribed from SetDefaults_NetworkPolicy (pkg/apis/networking/v1): with
 * no policyTypes (absent or empty) a policy is always an Ingress policy, and an Egress policy
 * only when `len(spec.egress) != 0`; given policyTypes are taken as written.
 */
function kubernetesPolicyTypes(spec: { policyTypes?: readonly string[]; egress?: readonly unknown[] | null }): {
  ingress: boolean;
  egress: boolean;
} {
  const types = spec.policyTypes ?? [];
  if (types.length === 0) return { ingress: true, egress: (spec.egress ?? []).length !== 0 };
  return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
}

const rule = fc.constantFrom<Record<string, unknown>>({}, { to: [{ podSelector: {} }] }, { ports: [{ port: 53, protocol: 'UDP' }] });
const section = fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined });
const policyTypes = fc.option(fc.subarray(['Ingress', 'Egress']), { nil: undefined });

describe('NetworkPolicy policyTypes defaulting', () => {
  it('isolates each direction exactly as Kubernetes defaults policyTypes', () => {
    fc.assert(
      fc.property(policyTypes, section, section, (types, ingress, egress) => {
        const spec = {
          podSelector: {},
          ...(types === undefined ? {} : { policyTypes: types }),
          ...(ingress === undefined ? {} : { ingress: ingress.map((r) => ('to' in r ? { from: r['to'] } : r)) }),
          ...(egress === undefined ? {} : { egress }),
        };
        const [r] = parsePolicy(knp('p', spec)).rules;
        expect(r!.defaultDeny).toEqual(kubernetesPolicyTypes(spec));
        expect({ ingress: r!.hasIngress, egress: r!.hasEgress }).toEqual(kubernetesPolicyTypes(spec));
      }),
    );
  });

  it.each([
    ['no policyTypes, no egress', {}, { ingress: true, egress: false }],
    ['no policyTypes, egress: []', { egress: [] }, { ingress: true, egress: false }],
    ['no policyTypes, egress: [{}]', { egress: [{}] }, { ingress: true, egress: true }],
    ['policyTypes: [], egress: [{}]', { policyTypes: [], egress: [{}] }, { ingress: true, egress: true }],
    ['policyTypes: [Egress], egress: []', { policyTypes: ['Egress'], egress: [] }, { ingress: false, egress: true }],
    ['policyTypes: [Ingress], egress: [{}]', { policyTypes: ['Ingress'], egress: [{}] }, { ingress: true, egress: false }],
  ])('%s', (_, spec, isolated) => {
    expect(parsePolicy(knp('p', { podSelector: {}, ...spec })).rules[0]!.defaultDeny).toEqual(isolated);
  });
});
