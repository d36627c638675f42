/**
 * Named ports (Cilium's pkg/policy/types PortProto and NamedPortMultiMap): a policy may name a
 * container port (`port: http`) instead of its number; each endpoint says what its names mean.
 * The agent keeps them indexed (`agent/namedPortIndex.ts`); policy resolution reads the index.
 */

/** The protocols a container port can have. */
export type NamedPortProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A port number and its protocol. */
export interface PortProto {
  readonly port: number;
  readonly protocol: NamedPortProtocol;
}

/** A container port with a name, as an endpoint declares it. */
export interface NamedPort extends PortProto {
  readonly name: string;
}

/** Named ports by name; one name may mean several ports (different endpoints, protocols). */
export type NamedPortMap = ReadonlyMap<string, readonly PortProto[]>;

/** What a subject's policy resolves names with: its own endpoints' for ingress, every endpoint's for egress. */
export interface SubjectNamedPorts {
  readonly ingress?: NamedPortMap;
  readonly egress?: NamedPortMap;
}
