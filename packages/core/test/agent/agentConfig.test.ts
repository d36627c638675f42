import { describe, expect, it } from 'vitest';
import { AgentConfig } from '../../src/agent/agentConfig.ts';

const install = { mutualAuth: true, clusterName: 'default', encryption: 'disabled' } as const;

describe('the agent config', () => {
  it('shows the installed ConfigMap and reads known keys typed', () => {
    const config = new AgentConfig(install);

    expect(config.view()['enable-policy']).toBe('default');
    expect(config.get('debug')).toBe(false);
    expect(config.get('monitor-aggregation-interval')).toBe(5_000_000_000);
    expect(config.get('mesh-auth-mutual-listener-port')).toBe(4250);
    expect(Object.isFrozen(config.view())).toBe(true);
  });

  it('leaves the mesh-auth keys out without mutual auth, but still knows their defaults', () => {
    const config = new AgentConfig({ ...install, mutualAuth: false, encryption: 'wireguard' });

    expect(Object.keys(config.view()).filter((k) => k.startsWith('mesh-auth-'))).toEqual([]);
    expect(config.get('mesh-auth-gc-interval')).toBe(300_000_000_000);
    expect(config.view()['enable-wireguard']).toBe('true');
  });

  it('validates a known key by its kind and stores any other key as given', () => {
    const config = new AgentConfig(install);

    expect(() => config.set('debug', 'yes')).toThrow('invalid value "yes" for debug: expected true or false');
    expect(() => config.set('enable-policy', 'maybe')).toThrow('expected default, always or never');
    expect(() => config.set('tofqdns-dns-reject-response-code', 'drop')).toThrow('expected refused or nameError');
    expect(() => config.set('tofqdns-min-ttl', 'soon')).toThrow('expected a whole number');
    // The cluster name as clustermesh validates it: the agent would not start with another.
    expect(() => config.set('cluster-name', 'Prod')).toThrow('invalid value "Prod" for cluster-name: expected at most 32 lowercase');
    expect(() => config.set('cluster-name', 'c'.repeat(33))).toThrow('for cluster-name');
    expect(() => config.set('cluster-name', '-edge')).toThrow('for cluster-name');
    config.set('cluster-name', 'edge-1');
    expect(() => config.set('identity-gc-interval', 'later')).toThrow();
    config.set('some-future-key', 'anything');
    expect(config.view()['some-future-key']).toBe('anything');
    expect(config.view().debug).toBe('false');
  });

  it('announces set and delete alike, and a deleted key reads as its default again', () => {
    const config = new AgentConfig(install);
    const changed: string[] = [];
    config.onChange((key) => changed.push(`${key}=${String(config.get('enable-policy'))}`));

    config.set('enable-policy', 'always');
    config.delete('enable-policy');
    config.delete('enable-policy');

    expect(changed).toEqual(['enable-policy=always', 'enable-policy=default']);
    expect('enable-policy' in config.view()).toBe(false);
  });
});
