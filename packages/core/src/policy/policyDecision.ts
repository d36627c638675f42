import { AUTH_TYPE, type AuthType } from './authType.ts';
import type { Direction } from './direction.ts';
import type { L7Rules } from './types.ts';

/**
 * What a policy map lookup decides for one packet (pkg/policy mapstate's verdict material). The
 * policy map produces it; the datapath turns it into a verdict, a drop reason and a Hubble
 * flow, and `cilium policy trace` reports it.
 */
export interface PolicyRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly revision?: number;
}

export interface PolicyDecision {
  readonly allowed: boolean;
  /** True when an explicit deny rule matched (drop reason 181 instead of 133). */
  readonly denied: boolean;
  /** Hubble's policy match type name: 'none', 'L3-Only', 'L3-L4', 'L4-Only', 'all', ... */
  readonly matchType: string;
  /** The authentication the packet needs first (AUTH_TYPE.disabled: none). */
  readonly authType: AuthType;
  /** Present when the port is redirected to the L7 proxy: what the proxy enforces for this peer. */
  readonly l7?: L7Rules;
  readonly policies: readonly PolicyRef[];
}

/** An endpoint's policy for the datapath: enforcement per direction and O(1) lookups. */
export interface EndpointPolicyView {
  readonly ingressEnforced: boolean;
  readonly egressEnforced: boolean;
  lookup(remoteIdentity: number, direction: Direction, proto: number, port: number): PolicyDecision;
}

export const ALLOW_UNENFORCED: PolicyDecision = Object.freeze({
  allowed: true,
  denied: false,
  matchType: 'all',
  authType: AUTH_TYPE.disabled,
  policies: [],
});
