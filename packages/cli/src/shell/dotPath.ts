/**
 * The path language `yq` and `jq` share in the labs: `.`, `.spec`, `.items[0].metadata.name`,
 * `.items[].metadata.name`, `.items[-1]`, `."app.kubernetes.io/name"`, `.["key"]`, optional
 * `?`, stages joined by `|`, and the functions `length` and `keys`. A missing key gives
 * null, as in both tools; iterating null gives nothing.
 */
export type DotStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' }
  | { readonly kind: 'fn'; readonly name: 'length' | 'keys' };

/** Parses an expression into stages of steps, or returns the message of the first problem. */
export function parseDotPath(expression: string): DotStep[][] | string {
  const stages: DotStep[][] = [];
  for (const raw of splitStages(expression)) {
    const stage = raw.trim();
    if (stage === 'length' || stage === 'keys') stages.push([{ kind: 'fn', name: stage }]);
    else if (stage.startsWith('.')) {
      const steps = parseSteps(stage);
      if (typeof steps === 'string') return steps;
      stages.push(steps);
    } else return `unsupported expression '${stage}': use a path such as .spec or .items[0].metadata.name`;
  }
  return stages;
}

function splitStages(expression: string): string[] {
  const stages: string[] = [];
  let start = 0;
  let quote = false;
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === '"' && expression[i - 1] !== '\\') quote = !quote;
    if (expression[i] === '|' && !quote) {
      stages.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  return [...stages, expression.slice(start)];
}

const STEP = /^(?:\.?\[\s*\]|\.?\[\s*(-?\d+)\s*\]|\.?\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\."((?:[^"\\]|\\.)*)"|\.([A-Za-z_$][\w$-]*)|\?)/;

function parseSteps(stage: string): DotStep[] | string {
  const steps: DotStep[] = [];
  let rest = stage === '.' ? '' : stage;
  while (rest !== '') {
    const m = STEP.exec(rest);
    if (m === null) return `cannot parse path '${stage}' at '${rest}'`;
    if (m[1] !== undefined) steps.push({ kind: 'index', index: Number(m[1]) });
    else if (m[2] !== undefined || m[3] !== undefined) steps.push({ kind: 'key', key: JSON.parse(`"${m[2] ?? m[3]}"`) as string });
    else if (m[4] !== undefined) steps.push({ kind: 'key', key: m[4] });
    else if (m[0] !== '?') steps.push({ kind: 'each' });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Every value the path yields from `doc`, in document order. */
export function evaluateDotPath(stages: readonly (readonly DotStep[])[], doc: unknown): unknown[] {
  let values: unknown[] = [doc];
  for (const step of stages.flat()) values = values.flatMap((v) => applyStep(step, v));
  return values;
}

function applyStep(step: DotStep, value: unknown): unknown[] {
  switch (step.kind) {
    case 'key':
      return [isRecord(value) ? (value[step.key] ?? null) : null];
    case 'index': {
      if (!Array.isArray(value)) return [null];
      return [value[step.index < 0 ? value.length + step.index : step.index] ?? null];
    }
    case 'each':
      return Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    case 'fn':
      return [applyFunction(step.name, value)];
  }
}

function applyFunction(name: 'length' | 'keys', value: unknown): unknown {
  if (name === 'keys') return isRecord(value) ? Object.keys(value).sort() : Array.isArray(value) ? value.map((_, i) => i) : null;
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return isRecord(value) ? Object.keys(value).length : value === null ? 0 : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
