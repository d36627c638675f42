export type {
  ContainerImage,
  ContainerInfo,
  PodInfo,
  ProcessExecEvent,
  ProcessExitEvent,
  ProcessInfo,
  ProcessKprobeEvent,
  RuntimeEvent,
  RuntimeEventTypeName,
  SockArg,
} from './runtimeEvent.ts';
export { RUNTIME_EVENT_TYPES } from './runtimeEvent.ts';
export { compileRuntimeEventFilter, filterRuntimeEvents, type RuntimeEventFilter, type RuntimeEventQuery } from './eventFilter.ts';
export { eventToJson } from './eventJson.ts';
export { binaryPath, tetragonArguments } from './binaryPath.ts';
export { normalizeImage } from './podInfo.ts';
export { CONNECT_POLICY_NAME, DEFAULT_RUNTIME_EVENT_CAPACITY } from './tetragon.ts';
