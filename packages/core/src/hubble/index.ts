export * from './flow.ts';
export {
  addNs,
  compareInstants,
  flowInstant,
  flowTimeAt,
  formatFlowTime,
  instantAt,
  instantFromEpochMs,
  nanosOfSecond,
  parseFlowTime,
  type FlowInstant,
} from './flowTime.ts';
export { flowSummary, tcpFlagsText, dnsRcodeName, TCP_FLAG_ORDER } from './summary.ts';
export { normalizeFlow } from './normalizeFlow.ts';
export { RingBuffer, DEFAULT_RING_CAPACITY } from './ringBuffer.ts';
export { HubbleObserver, type HubbleObserverOptions, type FlowRecord } from './observer.ts';
export type { FlowFilter, EventTypeFilter, FilterFunc } from './filters/flowFilter.ts';
export { compileFlowFilter, compileFilterLists } from './filters/compileFilters.ts';
export { queryFlows, type FlowQuery } from './query.ts';
export { flowToJson, type Json } from './flowJson.ts';
export { parseFlowExport, flowFromJson, type FlowExportIssue } from './flowExport.ts';
