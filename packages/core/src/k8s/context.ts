import type { SimIssue } from '../errors.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import type { PolicyObject } from './builtinObjects.ts';
import { streamsOf, type K8sStreams } from './randomStreams.ts';

/** What the Kubernetes model needs from the cluster around it. */
export interface ApplyContext {
  readonly clock: Clock;
  /** A stream forked for Kubernetes (e.g. `rng.fork('k8s')`); keep passing the same instance. */
  readonly rng: Rng;
  readonly clusterName: string;
  /** Validates a policy's rules (`spec`/`specs`); its issues reject the object. */
  readonly validatePolicy?: (obj: PolicyObject) => readonly SimIssue[];
  /**
   * Warnings about an object the API server stored, as admission warnings reach kubectl
   * (`Warning: ...` on stderr): something around the API server will not act on it as written.
   */
  readonly warnings?: (obj: { readonly kind: string }) => readonly string[];
  /** Stamps objects at this epoch time instead of the clock's now (bootstrap backdates). */
  readonly createdAtMs?: number;
  /** The install is running: pods start before the network plugin's agents exist (bootstrap). */
  readonly installing?: boolean;
}

/** One transaction's view of the context: a fixed timestamp and the random streams. */
export interface TxEnv {
  readonly ctx: ApplyContext;
  readonly now: string;
  readonly streams: K8sStreams;
}

export function txEnv(ctx: ApplyContext): TxEnv {
  const ms = ctx.createdAtMs ?? ctx.clock.epochMs();
  return { ctx, now: rfc3339(ms), streams: streamsOf(ctx.rng) };
}

/** `2024-07-04T17:58:00Z`: seconds precision, as the API server writes timestamps. */
export function rfc3339(epochMs: number): string {
  const s = Math.floor(epochMs / 1000) * 1000;
  // One apply runs thousands of transactions within the same second of the virtual clock.
  if (s !== lastStamp.ms) lastStamp = { ms: s, text: new Date(s).toISOString().replace('.000Z', 'Z') };
  return lastStamp.text;
}

let lastStamp = { ms: Number.NaN, text: '' };
