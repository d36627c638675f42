import type { Protocol } from './packet.ts';

export interface Backend {
  readonly ip: string;
  readonly port: number;
}

export interface Frontend {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly proto: Protocol;
  readonly backends: readonly Backend[];
}

/**
 * Service translation (Cilium's socket LB / BPF lb4 maps): ClusterIP:port -> one backend,
 * chosen once per connection and kept in conntrack.
 */
export class LoadBalancer {
  readonly #frontends = new Map<string, Frontend>();
  /** Service ClusterIP -> service, so flows can name the destination service of any port. */
  readonly #byIp = new Map<string, { namespace: string; name: string }>();

  static key(ip: string, port: number, proto: Protocol): string {
    return `${proto}/${ip}:${port}`;
  }

  upsert(f: Frontend): void {
    this.#frontends.set(LoadBalancer.key(f.ip, f.port, f.proto), f);
    this.#byIp.set(f.ip, { namespace: f.namespace, name: f.name });
  }

  /** Replaces every frontend of one service. */
  replaceService(namespace: string, name: string, frontends: readonly Frontend[]): void {
    for (const [k, f] of this.#frontends) {
      if (f.namespace === namespace && f.name === name) {
        this.#frontends.delete(k);
        this.#byIp.delete(f.ip);
      }
    }
    for (const f of frontends) this.upsert(f);
  }

  lookup(ip: string, port: number, proto: Protocol): Frontend | undefined {
    return this.#frontends.get(LoadBalancer.key(ip, port, proto));
  }

  serviceOfIp(ip: string): { namespace: string; name: string } | undefined {
    return this.#byIp.get(ip);
  }

  frontends(): Frontend[] {
    return [...this.#frontends.values()];
  }
}
