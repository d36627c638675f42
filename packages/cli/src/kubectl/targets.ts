import type { ResourceType } from './resources.ts';
import { allCategoryTypes, resolveResourceType } from './resources.ts';
import { kubectlError } from './kubectlFlags.ts';

/**
 * The objects a command names, in the two spellings kubectl accepts:
 *   `TYPE[,TYPE...] [NAME...]`  (`get pods,svc`, `delete pod xwing tiefighter`)
 *   `TYPE/NAME [TYPE/NAME...]`  (`get pod/xwing svc/deathstar`, `exec ds/cilium`)
 * `all` expands to kubectl's "all" category. Names apply to every listed type.
 */
export interface Target {
  readonly type: ResourceType;
  /** Empty: every object of the type (narrowed by a selector, if any). */
  readonly names: readonly string[];
}

export function parseTargets(verb: string, args: readonly string[]): Target[] {
  if (args.length === 0) return [];
  if (args[0]!.includes('/')) return slashTargets(verb, args);
  const types = args[0]!
    .split(',')
    .filter((t) => t !== '')
    .flatMap((t) => expandType(verb, t));
  const names = args.slice(1);
  for (const n of names) {
    if (n.includes('/')) {
      throw kubectlError(
        verb,
        `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${verb} resource/<resource_name>' instead of 'kubectl ${verb} resource resource/<resource_name>'`,
        n,
      );
    }
  }
  return dedupe(types).map((type) => ({ type, names }));
}

function slashTargets(verb: string, args: readonly string[]): Target[] {
  const targets: { type: ResourceType; names: string[] }[] = [];
  for (const arg of args) {
    const slash = arg.indexOf('/');
    if (slash <= 0 || slash === arg.length - 1) {
      throw kubectlError(verb, `error: arguments in resource/name form must have a single resource and name`, arg);
    }
    const type = resolveResourceType(arg.slice(0, slash), `kubectl ${verb}`);
    const existing = targets.find((t) => t.type === type);
    if (existing) existing.names.push(arg.slice(slash + 1));
    else targets.push({ type, names: [arg.slice(slash + 1)] });
  }
  return targets;
}

function expandType(verb: string, typed: string): ResourceType[] {
  if (typed.toLowerCase() === 'all') return allCategoryTypes();
  return [resolveResourceType(typed, `kubectl ${verb}`)];
}

function dedupe(types: readonly ResourceType[]): ResourceType[] {
  return types.filter((t, i) => types.indexOf(t) === i);
}
