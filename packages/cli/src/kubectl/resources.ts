import { k8s } from '@cilium-sim/core';
import { UsageError } from '../tools/usageError.ts';

/**
 * An API resource type as kubectl knows it from discovery: one entry of core's kind registry,
 * so `kubectl get po`, `svc`, `deploy`, `cnp`, `ciliumid` and `deployments.apps` resolve as
 * they do against a real cluster. What is kubectl's own lives here: how a typed name
 * resolves, the `all` category, and how kubectl names a type in its output.
 */
export type ResourceType = k8s.KindInfo;

/**
 * The types `kubectl get all` lists: those discovery puts in the `all` category, in the order
 * discovery lists them (the core group first, then by group; by plural within a group).
 */
export function allCategoryTypes(): ResourceType[] {
  const order = (t: ResourceType): string => `${t.group === '' ? '' : `~${t.group}`}/${t.plural}`;
  return k8s.API_KINDS.filter((t) => t.categories.includes('all')).sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/**
 * Resolves a name as typed (`po`, `Pods`, `deployment.apps`, `cnp`) to its type. Names are
 * case-insensitive, as kubectl's REST mapper lowercases them. Throws kubectl's error otherwise.
 */
export function resolveResourceType(typed: string, command: string): ResourceType {
  const found = lookupResourceType(typed);
  if (found !== undefined) return found;
  throw new UsageError({
    code: 'INVALID_COMMAND',
    object: command,
    path: typed,
    message: `error: the server doesn't have a resource type "${typed}"`,
  });
}

/** `name` or `name.group` or `name.version.group`, where name is the plural, singular or a short name. */
export function lookupResourceType(typed: string): ResourceType | undefined {
  const lower = typed.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot === -1 ? lower : lower.slice(0, dot);
  const group = dot === -1 ? undefined : lower.slice(dot + 1);
  return k8s.API_KINDS.find(
    (t) =>
      (group === undefined || group === t.group || t.versions.some((v) => group === `${v}.${t.group}`)) &&
      (name === t.plural || name === t.singular || t.shortNames.includes(name)),
  );
}

/** `pod`, `deployment.apps`, `ciliumnetworkpolicy.cilium.io`: the prefix of `-o name`, of multi-type tables and of result lines. */
export function kindPrefix(type: ResourceType): string {
  return type.group === '' ? type.singular : `${type.singular}.${type.group}`;
}

/** `pods`, `deployments.apps`: how the API server names a resource in its errors. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** `Error from server (NotFound): pods "x" not found`, for the caller to print on stderr (exit 1). */
export function notFoundMessage(type: ResourceType, name: string): string {
  return `Error from server (NotFound): ${qualifiedResource(type)} "${name}" not found`;
}

/** The apiVersion of objects of a type: `v1`, `apps/v1`, `cilium.io/v2`. */
export function apiVersionOf(type: ResourceType): string {
  return type.apiVersions[0]!;
}
