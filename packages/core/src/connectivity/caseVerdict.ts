import type { Flow, Policy } from '../hubble/flow.ts';
import { type CaseObservation, isDns } from './caseProbe.ts';
import type { ConnectivityCase, ConnectivityExpect } from './testFile.ts';

/**
 * What a case expected against what happened. `expect` reads as a user of the walkthroughs reads
 * their output: allow = the server answered; deny = the traffic did not get through because of
 * policy (dropped, refused by the L7 or DNS proxy) or nothing answered; an HTTP status = that
 * status; refused = a DNS REFUSED or a TCP reset; auth-required = mutual authentication was
 * needed on the way.
 */
export function expectationMet(expect: ConnectivityExpect, o: CaseObservation): boolean {
  if (expect === 'allow') return o.outcome === 'reached';
  if (expect === 'deny') return ['dropped', 'l7-denied', 'dns-refused', 'unanswered'].includes(o.outcome);
  if (expect === 'refused') return o.outcome === 'dns-refused' || o.outcome === 'refused';
  if (expect === 'auth-required') return o.authRequired;
  return o.status === Number(expect);
}

/** The `expect` that says most precisely what happened, as `--update` records it. */
export function observedExpect(c: ConnectivityCase, o: CaseObservation): ConnectivityExpect | 'unresolved' {
  if (o.authRequired) return 'auth-required';
  if (o.outcome === 'unresolved') return 'unresolved';
  if (c.http !== undefined && o.status !== undefined) return o.status;
  if (o.outcome === 'reached') return 'allow';
  if (o.outcome === 'refused' || o.outcome === 'dns-refused') return 'refused';
  return 'deny';
}

/** The flows of the case's own connection: its DNS lookups left out, unless the case is a DNS query. */
export function connectionFlows(c: ConnectivityCase, flows: readonly Flow[]): Flow[] {
  return c.dns !== undefined ? [...flows] : flows.filter((f) => !isDns(f));
}

/** One sentence per `flow:` field the case's flows do not show. */
export function flowProblems(c: ConnectivityCase, flows: readonly Flow[]): string[] {
  const want = c.flow;
  if (want === undefined) return [];
  const own = connectionFlows(c, flows).filter((f) => f.is_reply !== true);
  const seen = (values: readonly (string | undefined)[]): string =>
    [...new Set(values.filter((v) => v !== undefined))].join(', ') || 'none';
  const out: string[] = [];
  if (want.verdict !== undefined && !own.some((f) => f.verdict === want.verdict))
    out.push(`no flow has verdict ${want.verdict} (seen: ${seen(own.map((f) => f.verdict))})`);
  if (want.dropReason !== undefined && !own.some((f) => f.drop_reason_desc === want.dropReason))
    out.push(`no flow has drop reason ${want.dropReason} (seen: ${seen(own.map((f) => f.drop_reason_desc))})`);
  if (want.direction !== undefined && !own.some((f) => f.traffic_direction === want.direction && f.event_type.type === 5))
    out.push(
      `no policy verdict in direction ${want.direction} (seen: ${seen(own.filter((f) => f.event_type.type === 5).map((f) => f.traffic_direction))})`,
    );
  if (want.authType !== undefined && !own.some((f) => f.auth_type === want.authType))
    out.push(`no policy verdict with auth type ${want.authType} (seen: ${seen(own.map((f) => f.auth_type))})`);
  const named = own.flatMap(policiesOf);
  for (const p of want.policies ?? []) {
    if (!named.some((n) => policyNamed(n, p)))
      out.push(
        `no flow names policy ${p} (named: ${seen(named.map((n) => `${n.kind}/${n.namespace === undefined ? '' : `${n.namespace}/`}${n.name}`))})`,
      );
  }
  return out;
}

/** The policies a flow cites, allowing or denying. */
export function policiesOf(f: Flow): Policy[] {
  return [...(f.ingress_allowed_by ?? []), ...(f.egress_allowed_by ?? []), ...(f.ingress_denied_by ?? []), ...(f.egress_denied_by ?? [])];
}

/** `rule1`, `default/rule1` and `CiliumNetworkPolicy/default/rule1` all name the same policy. */
function policyNamed(p: Policy, text: string): boolean {
  const ns = p.namespace === undefined ? '' : `${p.namespace}/`;
  return [p.name, `${ns}${p.name}`, `${p.kind}/${ns}${p.name}`].includes(text);
}
