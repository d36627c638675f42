/** One command of a transcript and what it printed. */
export interface Step {
  readonly command: string;
  readonly output: string;
}

/** Splits a `cilium-sim run` transcript (`$ COMMAND` lines, then output) into its steps. */
export function transcriptSteps(transcript: string): Step[] {
  return transcript
    .split(/^\$ /m)
    .slice(1)
    .map((chunk) => {
      const nl = chunk.indexOf('\n');
      return nl === -1 ? { command: chunk, output: '' } : { command: chunk.slice(0, nl), output: chunk.slice(nl + 1) };
    });
}

/** Compact Hubble lines without their timestamps, which depend on when a step ran. */
export function untimed(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: /, ''));
}

/** Pod names with their generated suffixes as `NAME-*`, so assertions survive other seeds. */
export function podNamesMasked(line: string): string {
  return line
    .replace(/\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '$1-*')
    .replace(/\(ID:\d+\)/g, '(ID:*)')
    .replace(/:\d{5} /g, ':* ');
}
