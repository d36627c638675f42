import { SimError } from '../errors.ts';
import type { Runtime } from '../runtime/runtime.ts';

/**
 * Runs one of the cluster's commands inside the event bus (runtime/eventBus.ts): events wait
 * for the command or never interrupt it. A `flow` listener is called while the command that
 * recorded the flow still runs, so a command it starts then is refused with this error rather
 * than run in the middle of another; listeners of `applied` and `identity-created`, called
 * after their command, may start commands.
 */
export function runCommand<T>(rt: Runtime, name: string, fn: () => T): T {
  if (rt.events.busy)
    throw new SimError({
      code: 'INVALID_COMMAND',
      reason: 'Conflict',
      object: `cluster.${name}`,
      message:
        'called from an event listener while the command that emitted the event is still running; call it after that command returns',
    });
  return rt.events.run(fn);
}
