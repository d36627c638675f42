import type { Pod } from '../k8s/objects.ts';
import type { PeerSvid } from '../proxy/tlsUpgrade.ts';
import type { RegistrationEntry } from '../spire/entry.ts';
import type { SpireServer } from '../spire/server.ts';
import { isSpireStatusError } from '../spire/spireStatusError.ts';
import { workloadSpiffeIds } from '../spire/workloadAttestation.ts';
import type { AgentCertificates } from './agentCertificates.ts';
import type { Agents } from './agents.ts';
import type { Endpoint } from './endpoint.ts';

/** The label source under which a workload's SPIFFE ID joins its endpoint's labels. */
export const SPIFFE_LABEL_SOURCE = 'spiffe';

/**
 * SPIFFE IDs of ordinary pods, as AccuKnox's fork used them (spiffeTlsUpgrade extension): SPIRE's
 * k8s workload attestor matches each pod against the registration entries its node's agent may
 * serve, the IDs become `spiffe://...` endpoint labels, and the L7 proxy presents and checks the
 * SVIDs the node's SPIRE agent holds for them.
 */
export class SpiffeWorkloads {
  readonly #server: SpireServer;
  readonly #agents: Agents;
  readonly #certs: AgentCertificates;
  /** Last answer per pod, kept while the SPIRE server cannot be asked. */
  readonly #last = new Map<string, readonly string[]>();

  constructor(server: SpireServer, agents: Agents, certs: AgentCertificates) {
    this.#server = server;
    this.#agents = agents;
    this.#certs = certs;
  }

  /** The SPIFFE IDs issued to `pod` on its node, sorted; the last known ones while SPIRE is down. */
  idsOf(pod: Pod): readonly string[] {
    const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const agentId = this.#agents.get(pod.spec.nodeName ?? '')?.spireAgent?.agentId;
    if (agentId === undefined) return this.#last.get(key) ?? [];
    try {
      const ids = workloadSpiffeIds(this.#server, agentId, {
        namespace: pod.metadata.namespace ?? 'default',
        serviceAccount: pod.spec.serviceAccountName,
        podName: pod.metadata.name,
        nodeName: pod.spec.nodeName ?? '',
        labels: pod.metadata.labels,
      });
      this.#last.set(key, ids);
      return ids;
    } catch (e) {
      if (!isSpireStatusError(e)) throw e;
      return this.#last.get(key) ?? [];
    }
  }

  /**
   * The SVID the proxy of `ep` presents: the first of its SPIFFE IDs for which its node's SPIRE
   * agent holds an SVID, judged (chain and validity) by the agent on `verifierNode`.
   */
  svidOf(ep: Endpoint, verifierNode: string): PeerSvid | undefined {
    const agent = this.#agents.get(ep.nodeName)?.spireAgent;
    for (const label of ep.labels) {
      if (label.source !== SPIFFE_LABEL_SOURCE) continue;
      const spiffeId = `${SPIFFE_LABEL_SOURCE}:${label.key}`;
      const svid = agent?.svidFor(spiffeId);
      if (svid === undefined) continue;
      const verdict = this.#certs.verify(verifierNode, { spiffeId, certificate: svid.certificate, notAfterMs: svid.expiresAtMs }, spiffeId);
      return { spiffeId, valid: verdict.ok };
    }
    return undefined;
  }
}

/**
 * Whether an entry change can change what a pod is issued: every entry but Cilium's own
 * per-identity ones (selector `cilium:...`), which no pod's k8s selectors match.
 */
export function affectsWorkloads(entry: RegistrationEntry): boolean {
  return !entry.selectors.every((s) => s.type === 'cilium');
}
