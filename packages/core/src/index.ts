/**
 * cilium-sim's library: a deterministic, in-process model of Cilium's zero-trust security.
 * Start with `Cluster.create()`; everything the CLI prints is built from what is exported here.
 */
export {
  SimError,
  isSimError,
  formatIssue,
  type SimIssue,
  type SimErrorCode,
  type SimErrorReason,
  type ErrorObjectRef,
} from './errors.ts';
export { Clock, DEFAULT_START_MS } from './sim/clock.ts';
export { Rng } from './sim/rng.ts';
export { Scheduler } from './sim/scheduler.ts';
export { parseDuration, formatDuration, NS_PER_MS, NS_PER_S } from './sim/duration.ts';
export { tabwrite, tabwriteText, type TabwriterOptions } from './tabwriter.ts';

export { Cluster, MAX_ADVANCE_NS, type SimEvents } from './cluster/cluster.ts';
export type { ClusterOptions, ClusterExtension, Encryption, SpireOptions } from './cluster/options.ts';
export type { ActiveFault, ClusterFaults } from './cluster/faults.ts';
export type { WorkloadExec, NslookupResult } from './cluster/podExec.ts';
export type { CurlOptions, CurlResult } from './workload/curl.ts';
export type { NcOptions, NcResult } from './workload/nc.ts';

export type { Endpoint, NamedPort } from './agent/endpoint.ts';
export { formatLogLine, type LogLine, AgentLog } from './agent/agentLog.ts';
export type { AllocatedIdentity } from './identity/allocator.ts';
export { formatLabel, parseLabel, type Label, type LabelSet } from './identity/labels.ts';
export { identityName, isReservedIdentity, reservedLabels, LISTED_RESERVED_IDENTITIES, ReservedIdentity } from './identity/reserved.ts';
export { formatAuthKey, type AuthKey, type AuthEntry } from './datapath/authMap.ts';
export type { PolicyDecision, PolicyRef } from './policy/policyDecision.ts';
export type { Direction } from './policy/direction.ts';
export { dropReasonByCode, dropReasonByDesc, dropReasonText, DropReasonCode } from './datapath/dropReason.ts';

export type { Flow } from './hubble/flow.ts';
export type { K8sObject, K8sState, Kind, ObjectRef, ObjectResult, Pod, Service, Deployment, Namespace, Node } from './k8s/index.ts';

/** Each of Cilium's subsystems as a namespace: `hubble.hubbleObserve(...)`, `spire.parseSpiffeId(...)`. */
export * as k8s from './k8s/index.ts';
export * as hubble from './hubble/index.ts';
export * as policy from './policy/index.ts';
export * as spire from './spire/index.ts';
export * from './toolkit/index.ts';
