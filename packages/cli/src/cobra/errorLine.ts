import type { SimError } from '@cilium-sim/core';

/**
 * How a cobra program (cilium, hubble, and the simulator's own tools, which follow them) reports
 * an error it returns from a command: `Error: ` and the message, whatever the reason.
 */
export function cobraErrorLine(e: SimError): string {
  return `Error: ${e.message}`;
}
