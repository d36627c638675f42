/**
 * cilium-sim's library: a deterministic, in-process model of Cilium's zero-trust security.
 * Start with `Cluster.create()`; everything the CLI prints is built from what is exported here.
 * docs/library.md lists every exported name (a test keeps the two in step).
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
// The simulator's time and randomness, for building a subsystem (a SPIRE server) on its own.
export { Clock } from './sim/clock.ts';
export { Rng } from './sim/rng.ts';
export { Scheduler } from './sim/scheduler.ts';
export { parseDuration, formatDuration, NS_PER_MS } from './sim/duration.ts';
export { tabwrite, tabwriteText, type TabwriterOptions } from './tabwriter.ts';
export { utf8Length } from './utf8.ts';
// Regular expressions from users, compiled with RE2 as Cilium, Envoy and Hubble do (the shell's grep too).
export { compileRe2, MAX_RE2_PATTERN_CHARS, type Re2, type Re2Options } from './re2.ts';

// The cluster: its facade, its options, and the types its methods take and return.
export { Cluster, MAX_ADVANCE_NS, type ChangeOptions, type VirtualTime } from './cluster/cluster.ts';
export type { SimEvents } from './runtime/runtime.ts';
export type { ClusterOptions, ClusterExtension, Encryption, ResolvedOptions, SpireOptions } from './runtime/options.ts';
// The Cilium versions a cluster may run and what differs between them.
export {
  CILIUM_MINORS,
  CILIUM_RELEASES,
  DEFAULT_CILIUM_VERSION,
  VERSIONED_BEHAVIOURS,
  behaviourIn,
  parseCiliumVersion,
  type CiliumMinor,
  type CiliumVersion,
  type VersionedBehaviour,
  type VersionedBehaviourName,
} from './version/ciliumVersion.ts';
export { CILIUM_COMPONENTS, agentBuild, ciliumImages, type CiliumComponents, type CiliumImages } from './version/ciliumComponents.ts';
export type { ActiveFault, ClusterFaults } from './cluster/faults.ts';
export type { ClusterInspector, DatapathStats, HubbleStatus, NodeInfo, PolicyMapView, SpireStatus } from './cluster/inspect.ts';
export type { ApiObject } from './k8s/apiObject.ts';
export type { CiliumEndpointObject, CiliumIdentityObject, EndpointEnforcement, EnforcementState } from './cluster/ciliumObjects.ts';
export type { PolicyTrace } from './datapath/policyTrace.ts';
export { VXLAN_PORT, type CapturedEncap, type CapturedPacket, type CapturedTcp, type PacketCapture } from './datapath/packetCapture.ts';
export type { WorkloadExec, WorkloadProcess, NslookupResult } from './cluster/podExec.ts';
export type { CurlOptions, CurlResult } from './workload/curl.ts';
export { parseCurlUrl, type CurlUrl, type CurlUrlProblem, type ParsedCurlUrl } from './workload/curlUrl.ts';
export { MAX_NC_SEGMENTS, type NcOptions, type NcResult } from './workload/nc.ts';

// What the agents hold, as `cluster.inspect` returns it.
export type { Endpoint } from './agent/endpoint.ts';
export type { NamedPort } from './policy/namedPorts.ts';
export { formatLogLine, type LogFormat, type LogLine } from './agent/agentLog.ts';
export type { AllocatedIdentity } from './identity/allocator.ts';
export { formatLabel, type Label, type LabelSet } from './identity/labels.ts';
export { identityName, isReservedIdentity, reservedLabels, LISTED_RESERVED_IDENTITIES, ReservedIdentity } from './identity/reserved.ts';
export type { AuthKey, AuthEntry } from './datapath/authMap.ts';
export type { EgressMapRow } from './egressgateway/egressMap.ts';
export type { PolicyDecision, PolicyRef } from './policy/policyDecision.ts';
export type { Direction } from './policy/direction.ts';
export { dropReasonByCode, dropReasonByDesc, dropReasonText, DropReasonCode } from './datapath/dropReason.ts';
export type { FqdnCacheEntry } from './proxy/fqdnCache.ts';

export type { Flow } from './hubble/flow.ts';
export type { K8sObject, K8sState, Kind, ObjectRef, ObjectResult, Pod, Service, Deployment, Namespace, Node } from './k8s/index.ts';

/** Each of Cilium's subsystems as a namespace: `hubble.queryFlows(...)`, `spire.parseSpiffeId(...)`. */
export * as k8s from './k8s/index.ts';
export * as hubble from './hubble/index.ts';
export * as policy from './policy/index.ts';
export * as spire from './spire/index.ts';
export * as tetragon from './tetragon/index.ts';
export * from './toolkit/index.ts';

// Policies as code: the lint of policy objects.
export { lintPolicies, lintRuleVersions, type LintOptions, type LintReport } from './lint/lintPolicies.ts';
export { LINT_RULES } from './lint/lintRules.ts';
export type { LintFinding, LintRule, LintSeverity } from './lint/lintRule.ts';

// Policies as code: connectivity tests run through the datapath.
export {
  CONNECTIVITY_TEST_API_VERSION,
  connectivityTestJsonSchema,
  parseConnectivityTest,
  type ConnectivityCase,
  type ConnectivityExpect,
  type ConnectivityFault,
  type ConnectivityTest,
  type ConnectivityTestIssue,
} from './connectivity/testFile.ts';
export {
  caseName,
  runConnectivityCases,
  runConnectivityTest,
  type ConnectivityCaseResult,
  type ConnectivityTestOptions,
  type ConnectivityTestResult,
  type ConnectivityTestRun,
} from './connectivity/runConnectivityTest.ts';
export type { CaseObservation, CaseOutcome } from './connectivity/caseProbe.ts';
