/** The gRPC status codes the SPIRE APIs answer with in the simulation. */
export type SpireStatusCode = 'Unavailable' | 'AlreadyExists' | 'NotFound' | 'InvalidArgument' | 'PermissionDenied' | 'Internal';

/**
 * A SPIRE API call that failed at run time (server down, no such entry, caller not authorized):
 * not bad input, so not a SimError. `message` is gRPC's `rpc error: code = X desc = Y`, the text
 * the SPIRE CLI and Cilium's logs embed; callers match `code`.
 */
export class SpireStatusError extends Error {
  readonly code: SpireStatusCode;
  readonly desc: string;

  constructor(code: SpireStatusCode, desc: string) {
    super(`rpc error: code = ${code} desc = ${desc}`);
    this.name = 'SpireStatusError';
    this.code = code;
    this.desc = desc;
  }
}

export function isSpireStatusError(e: unknown): e is SpireStatusError {
  return e instanceof SpireStatusError;
}
