// The Star Wars demo, read from the manifests bundled with the scenarios package (a path
// relative to this file, so a clone of the repository runs these tests as they are).
import { readFileSync } from 'node:fs';
import { Cluster } from '../../src/cluster/cluster.ts';

const MANIFESTS = new URL('../../../scenarios/scenarios/star-wars/manifests/', import.meta.url);

export function manifest(name: 'http-sw-app.yaml' | 'sw_l3_l4_policy.yaml' | 'sw_l3_l4_l7_policy.yaml'): string {
  return readFileSync(new URL(name, MANIFESTS), 'utf8');
}

/** The app deployed and settled; no policy yet. */
export function starWars(seed = 1): Cluster {
  const cluster = Cluster.create({ seed });
  cluster.apply(manifest('http-sw-app.yaml'));
  cluster.advance('30s');
  return cluster;
}

export function land(cluster: Cluster, ship: 'tiefighter' | 'xwing'): number | 'timeout' {
  const r = cluster
    .exec(`default/${ship}`)
    .curl({ url: 'http://deathstar.default.svc.cluster.local/v1/request-landing', method: 'POST', connectTimeoutMs: 2000 });
  return r.kind === 'response' ? r.response.status : 'timeout';
}

export function exhaustPort(cluster: Cluster, ship: 'tiefighter' | 'xwing'): number | 'timeout' {
  const r = cluster
    .exec(`default/${ship}`)
    .curl({ url: 'http://deathstar.default.svc.cluster.local/v1/exhaust-port', method: 'PUT', connectTimeoutMs: 2000 });
  return r.kind === 'response' ? r.response.status : 'timeout';
}
