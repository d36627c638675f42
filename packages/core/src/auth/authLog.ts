/**
 * Where the auth subsystem writes: its node's agent log. Declared here, not imported from the
 * agent, because the agent holds the auth manager (the agent's AgentLog fits this shape).
 */
export interface AuthLog {
  write(line: {
    readonly atEpochMs: number;
    readonly level: 'debug' | 'info' | 'warning' | 'error';
    readonly msg: string;
    readonly fields: readonly (readonly [string, string])[];
    readonly subsys: string;
  }): void;
}
