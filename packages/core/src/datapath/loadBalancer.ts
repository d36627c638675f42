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
  /**
   * The same frontends by address -> (port, protocol), kept beside `#frontends` (whose order the
   * listing keeps): a connection's lookup then builds no key string.
   */
  readonly #byAddress = new Map<string, Map<number, Frontend>>();
  /** Service ClusterIP -> service, so flows can name the destination service of any port. */
  readonly #byIp = new Map<string, { namespace: string; name: string }>();
  /** Namespace -> service name -> its frontends, so replacing one service costs that service. */
  readonly #byService = new Map<string, Map<string, readonly Frontend[]>>();

  static key(ip: string, port: number, proto: Protocol): string {
    return `${proto}/${ip}:${port}`;
  }

  /** Replaces every frontend of one service; none removes the service. */
  replaceService(namespace: string, name: string, frontends: readonly Frontend[]): void {
    const services = this.#byService.get(namespace);
    for (const f of services?.get(name) ?? []) {
      this.#frontends.delete(LoadBalancer.key(f.ip, f.port, f.proto));
      const ports = this.#byAddress.get(f.ip);
      if (ports?.delete(portProtoKey(f.port, f.proto)) && ports.size === 0) this.#byAddress.delete(f.ip);
      this.#byIp.delete(f.ip);
    }
    for (const f of frontends) {
      this.#frontends.set(LoadBalancer.key(f.ip, f.port, f.proto), f);
      let ports = this.#byAddress.get(f.ip);
      if (ports === undefined) this.#byAddress.set(f.ip, (ports = new Map()));
      ports.set(portProtoKey(f.port, f.proto), f);
      this.#byIp.set(f.ip, { namespace: f.namespace, name: f.name });
    }
    if (frontends.length > 0) {
      if (services === undefined) this.#byService.set(namespace, new Map([[name, frontends]]));
      else services.set(name, frontends);
    } else if (services !== undefined) {
      services.delete(name);
      if (services.size === 0) this.#byService.delete(namespace);
    }
  }

  /** Names of the services of `namespace` that have frontends. */
  services(namespace: string): string[] {
    return [...(this.#byService.get(namespace)?.keys() ?? [])];
  }

  lookup(ip: string, port: number, proto: Protocol): Frontend | undefined {
    return this.#byAddress.get(ip)?.get(portProtoKey(port, proto));
  }

  serviceOfIp(ip: string): { namespace: string; name: string } | undefined {
    return this.#byIp.get(ip);
  }

  frontends(): Frontend[] {
    return [...this.#frontends.values()];
  }
}

const PROTOCOL_INDEX: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2, ICMP: 3 };

function portProtoKey(port: number, proto: Protocol): number {
  return port * 4 + PROTOCOL_INDEX[proto];
}
