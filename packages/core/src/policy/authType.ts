/**
 * Cilium's auth types, one row each (pkg/policy/types/auth.go): the number policy map and auth
 * map entries carry, the `authentication.mode` a policy writes, the name the agent logs
 * (`AuthType.String()`: `authType=spire`), and Hubble's AuthType enum on policy verdicts.
 */
const TABLE = [
  { type: 0, mode: 'disabled', name: 'disabled', hubble: 'DISABLED' },
  { type: 1, mode: 'required', name: 'spire', hubble: 'SPIRE' },
  { type: 2, mode: 'test-always-fail', name: 'test-always-fail', hubble: 'TEST_ALWAYS_FAIL' },
] as const;

export type AuthTypeInfo = (typeof TABLE)[number];
/** The number: 0 none, 1 SPIRE, 2 always fails. */
export type AuthType = AuthTypeInfo['type'];
/** A policy's `authentication.mode`. */
export type AuthMode = AuthTypeInfo['mode'];
/** Hubble's flow.AuthType enum name. */
export type HubbleAuthType = AuthTypeInfo['hubble'];

/** Every auth type, in number order. */
export const AUTH_TYPES: readonly AuthTypeInfo[] = TABLE;

/** `authentication.mode` -> the auth type number. */
export const AUTH_TYPE = Object.freeze(Object.fromEntries(TABLE.map((t) => [t.mode, t.type]))) as {
  readonly [M in AuthMode]: Extract<AuthTypeInfo, { mode: M }>['type'];
};

/** The row of a number (rows are in number order), undefined for a number Cilium does not define. */
function authTypeInfo(type: number): AuthTypeInfo | undefined {
  return TABLE[type];
}

/** Hubble's enum name for a number: `SPIRE`. */
export function hubbleAuthType(type: AuthType): HubbleAuthType {
  return TABLE[type].hubble;
}

/** How the agent logs a number: `spire`; an unknown number as itself. */
export function authTypeName(type: number): string {
  return authTypeInfo(type)?.name ?? String(type);
}
