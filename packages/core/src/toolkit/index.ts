/**
 * The policy author's toolkit: the connectivity matrix, dry runs of policy changes, policies
 * suggested from observed flows, and the service map. Everything reads the cluster and changes
 * nothing in it.
 */
export {
  connectivityMatrix,
  MAX_MATRIX_CELLS,
  parseMatrixPort,
  type ConnectivityMatrix,
  type MatrixBy,
  type MatrixCell,
  type MatrixOptions,
  type MatrixPeer,
  type MatrixPort,
  type MatrixProtocol,
} from './matrix.ts';
export { printMatrix, MATRIX_FORMATS, type MatrixFormat } from './matrixPrinters.ts';
export { whatIf, type PolicyChange, type WhatIfOptions, type WhatIfReport, type MatrixFlip } from './whatIf.ts';
export { formatWhatIf, flowChangeLine } from './whatIfPrinter.ts';
export { replayFlows, type FlowReplayReport } from './replayFlows.ts';
export type { EntryChange, EntrySummary, EnforcementChange, IdentityMapChange } from './mapDiff.ts';
export type { FlowVerdictChange, ReplayVerdict } from './flowReplay.ts';
export type {
  ObservedConnection,
  ObservedPeer,
  ObservedRequest,
  ConnectionVerdict,
  ConnectionProtocol,
} from './observedConnections.ts';
export { suggestPolicies, type SuggestOptions, type SuggestedPolicy, type Suggestion } from './suggest.ts';
export {
  serviceMap,
  type ServiceMap,
  type ServiceMapEdge,
  type ServiceMapNode,
  type ServiceMapNodeKind,
  type ServiceMapOptions,
} from './serviceMap.ts';
export { printServiceMap, SERVICE_MAP_FORMATS, type ServiceMapFormat } from './serviceMapPrinters.ts';
