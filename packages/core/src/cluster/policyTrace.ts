import type { Endpoint } from '../agent/endpoint.ts';
import { SimError } from '../errors.ts';
import { reservedLabels } from '../identity/reserved.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { splitPodRef } from './podExec.ts';
import { explain, renderExplanation, type PolicyExplanation } from '../policy/explain.ts';
import type { IdentityInfo, PolicyContext } from '../policy/peerSelector.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { PROTOCOL_NUMBERS, type PolicyProtocol } from '../policy/types.ts';

export interface PolicyTraceQuery {
  readonly src: IdentityInfo;
  readonly dst: IdentityInfo;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The source endpoint, when it is a pod: its egress policy is traced too. */
  readonly srcEndpoint?: Endpoint;
  readonly dstEndpoint?: Endpoint;
}

export interface PolicyTrace {
  readonly egress?: PolicyExplanation;
  readonly ingress?: PolicyExplanation;
  readonly allowed: boolean;
  readonly text: string;
}

/**
 * Why a packet from `src` to `dst:port` is allowed or denied: the source endpoint's egress
 * policy, then the destination endpoint's ingress policy, each with the rules that select the
 * endpoint, the rule that matched or why none did, and whether authentication is required.
 */
export function policyTrace(
  engine: PolicyEngine,
  ctx: PolicyContext,
  q: PolicyTraceQuery,
  namedPorts: (identity: number) => {
    ingress: ReadonlyMap<string, readonly { port: number; protocol: PolicyProtocol }[]>;
    egress: ReadonlyMap<string, readonly { port: number; protocol: PolicyProtocol }[]>;
  },
): PolicyTrace {
  const proto = PROTOCOL_NUMBERS[q.protocol];
  if (proto === undefined || !Object.hasOwn(PROTOCOL_NUMBERS, q.protocol)) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'cilium policy trace',
      path: '--dport',
      message: `unsupported protocol ${JSON.stringify(q.protocol)}; use one of ${Object.keys(PROTOCOL_NUMBERS).join(', ')}`,
    });
  }
  if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'cilium policy trace',
      path: '--dport',
      message: `port ${q.port} is out of range 1-65535`,
    });
  }
  const policies = engine.repository.rules();
  const egress =
    q.srcEndpoint === undefined
      ? undefined
      : explain({
          policies,
          subject: q.src,
          remote: q.dst,
          direction: 'EGRESS',
          proto,
          port: q.port,
          namedPorts: namedPorts(q.src.id),
          ctx,
        });
  const ingress =
    q.dstEndpoint === undefined
      ? undefined
      : explain({
          policies,
          subject: q.dst,
          remote: q.src,
          direction: 'INGRESS',
          proto,
          port: q.port,
          namedPorts: namedPorts(q.dst.id),
          ctx,
        });
  const allowed = (egress?.decision.allowed ?? true) && (ingress?.decision.allowed ?? true);
  const parts = [egress, ingress].filter((e) => e !== undefined).map(renderExplanation);
  const rule = '-'.repeat(64);
  return {
    ...(egress === undefined ? {} : { egress }),
    ...(ingress === undefined ? {} : { ingress }),
    allowed,
    text: `${rule}\n${parts.join(`\n${rule}\n`)}\n`,
  };
}

/**
 * `cilium policy trace` between two pods (`default/xwing`) or numeric identities: resolves each
 * side to its identity (and endpoint, whose policy is then traced).
 */
export function tracePolicy(
  rt: Runtime,
  src: string | number,
  dst: string | number,
  port: number,
  protocol: 'TCP' | 'UDP' | 'SCTP',
): PolicyTrace {
  const side = (s: string | number, flag: string): { info: IdentityInfo; ep?: Endpoint } => {
    if (typeof s === 'number') {
      const labels = rt.identities.get(s)?.labels ?? reservedLabels(s);
      if (labels.length === 0)
        throw new SimError({ code: 'NOT_FOUND', object: 'cilium policy trace', path: flag, message: `identity ${s} not found` });
      return { info: { id: s, labels } };
    }
    const { namespace, name } = splitPodRef(s);
    const ep = rt.endpoints.byPod(namespace, name);
    if (ep === undefined)
      throw new SimError({
        code: 'NOT_FOUND',
        object: 'cilium policy trace',
        path: flag,
        message: `pod ${namespace}/${name} has no Cilium endpoint`,
      });
    return { info: { id: ep.identity, labels: ep.identityLabels }, ep };
  };
  const a = side(src, '--src-k8s-pod');
  const b = side(dst, '--dst-k8s-pod');
  return policyTrace(
    rt.policy,
    rt.policyContext,
    {
      src: a.info,
      dst: b.info,
      port,
      protocol,
      ...(a.ep === undefined ? {} : { srcEndpoint: a.ep }),
      ...(b.ep === undefined ? {} : { dstEndpoint: b.ep }),
    },
    (id) => ({ ingress: rt.namedPorts.ingress(id), egress: rt.namedPorts.egress() }),
  );
}
