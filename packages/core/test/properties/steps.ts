// CLI-level steps for fc.commands model tests: toString() is the command a learner would type,
// so a shrunk counterexample reads as a REPL script.
import fc from 'fast-check';
import type { Cluster } from '../../src/index.ts';
import { policyYaml, type PolicyArb } from './arbitraries.ts';

export interface Real {
  readonly cluster: Cluster;
  readonly log: string[];
}

export type Model = Record<string, never>;
export type Step = fc.Command<Model, Real>;

export class Curl implements Step {
  constructor(readonly from: string, readonly to: string, readonly port: number) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const ip = r.cluster.endpoints.byPod('default', this.to)?.ip ?? '10.96.0.99';
    const out = r.cluster.exec(`default/${this.from}`).curl({ url: `http://${ip}:${this.port}/`, connectTimeoutMs: 1000 });
    r.log.push(`${this} => ${out.kind === 'response' ? out.response.status : `exit ${out.code}`}`);
  }
  toString(): string {
    return `kubectl exec ${this.from} -- curl -s --connect-timeout 1 http://${this.to}:${this.port}/`;
  }
}

export class Label implements Step {
  constructor(readonly pod: string, readonly tier: string | null) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.label({ kind: 'Pod', namespace: 'default', name: this.pod }, { tier: this.tier }, true).message}`);
  }
  toString(): string {
    return `kubectl label pod ${this.pod} ${this.tier === null ? 'tier-' : `tier=${this.tier}`} --overwrite`;
  }
}

export class Sleep implements Step {
  constructor(readonly duration: string) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.cluster.advance(this.duration);
    r.log.push(`${this}`);
  }
  toString(): string {
    return `sleep ${this.duration}`;
  }
}

export class ApplyPolicy implements Step {
  constructor(readonly policy: PolicyArb) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.apply(policyYaml(this.policy)).map((x) => x.message).join('; ')}`);
  }
  toString(): string {
    return `kubectl apply -f ${this.policy.name}.yaml  # ${policyYaml(this.policy)}`;
  }
}

export class DeletePolicy implements Step {
  constructor(readonly name: string) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.delete({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: this.name }).map((x) => x.message).join('; ')}`);
  }
  toString(): string {
    return `kubectl delete cnp ${this.name}`;
  }
}

export const sleeps = fc.constantFrom('100ms', '2s', '45s', '5m');
