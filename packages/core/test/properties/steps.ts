// CLI-level steps for fc.commands model tests: toString() is the command a learner would type,
// so a shrunk counterexample reads as a REPL script.
import fc from 'fast-check';
import type { Cluster } from '../../src/index.ts';
import { policyYaml, type PolicyArb } from './arbitraries.ts';
import { policyYaml as anyPolicyYaml, type PolicyDoc } from './policyKinds.ts';
import { outcome } from '../k8s/fixtures.ts';

export interface Real {
  readonly cluster: Cluster;
  readonly log: string[];
}

export type Model = Record<string, never>;
export type Step = fc.Command<Model, Real>;

export class Curl implements Step {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  constructor(from: string, to: string, port: number) {
    this.from = from;
    this.to = to;
    this.port = port;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const ip = r.cluster.inspect.endpoint('default', this.to)?.ip ?? '10.96.0.99';
    const out = r.cluster.exec(`default/${this.from}`).curl({ url: `http://${ip}:${this.port}/`, connectTimeoutMs: 1000 });
    r.log.push(`${this} => ${out.kind === 'response' ? out.response.status : `exit ${out.code}`}`);
  }
  toString(): string {
    return `kubectl exec ${this.from} -- curl -s --connect-timeout 1 http://${this.to}:${this.port}/`;
  }
}

export class Label implements Step {
  readonly pod: string;
  readonly tier: string | null;
  constructor(pod: string, tier: string | null) {
    this.pod = pod;
    this.tier = tier;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${outcome(r.cluster.label({ kind: 'Pod', namespace: 'default', name: this.pod }, { tier: this.tier }, true))}`);
  }
  toString(): string {
    return `kubectl label pod ${this.pod} ${this.tier === null ? 'tier-' : `tier=${this.tier}`} --overwrite`;
  }
}

export class Sleep implements Step {
  readonly duration: string;
  constructor(duration: string) {
    this.duration = duration;
  }
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
  readonly policy: PolicyArb;
  constructor(policy: PolicyArb) {
    this.policy = policy;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.apply(policyYaml(this.policy)).map(outcome).join('; ')}`);
  }
  toString(): string {
    return `kubectl apply -f ${this.policy.name}.yaml  # ${policyYaml(this.policy)}`;
  }
}

export class DeletePolicy implements Step {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(
      `${this} => ${r.cluster.delete({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: this.name }).map(outcome).join('; ')}`,
    );
  }
  toString(): string {
    return `kubectl delete cnp ${this.name}`;
  }
}

/** A curl from an address outside the cluster (identity world or a CIDR identity) to a pod. */
export class OutsideCurl implements Step {
  readonly ip: string;
  readonly to: string;
  readonly port: number;
  constructor(ip: string, to: string, port: number) {
    this.ip = ip;
    this.to = to;
    this.port = port;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const ip = r.cluster.inspect.endpoint('default', this.to)?.ip ?? '10.96.0.99';
    const out = r.cluster.outside(this.ip).curl({ url: `http://${ip}:${this.port}/`, connectTimeoutMs: 1000 });
    r.log.push(`${this} => ${out.kind === 'response' ? out.response.status : `exit ${out.code}`}`);
  }
  toString(): string {
    return `outside --ip ${this.ip} -- curl -s --connect-timeout 1 http://${this.to}:${this.port}/`;
  }
}

/** `kubectl apply -f` of a policy of any kind (policyKinds.ts). */
export class ApplyDoc implements Step {
  readonly doc: PolicyDoc;
  constructor(doc: PolicyDoc) {
    this.doc = doc;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.apply(anyPolicyYaml(this.doc)).map(outcome).join('; ')}`);
  }
  toString(): string {
    return `kubectl apply -f - <<< '${anyPolicyYaml(this.doc)}'`;
  }
}

/** `kubectl delete -f` of a policy of any kind. */
export class DeleteDoc implements Step {
  readonly doc: PolicyDoc;
  constructor(doc: PolicyDoc) {
    this.doc = doc;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.log.push(`${this} => ${r.cluster.delete(anyPolicyYaml(this.doc)).map(outcome).join('; ')}`);
  }
  toString(): string {
    return `kubectl delete -f - <<< '${anyPolicyYaml(this.doc)}'`;
  }
}

export const sleeps = fc.constantFrom('100ms', '2s', '45s', '5m');
