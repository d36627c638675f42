/**
 * What a shared link holds: the scenario (or lab), the seed, and everything done in the terminal
 * and the editor, in order. Opening the link replays the steps on a fresh cluster, which (same
 * seed, same inputs) gives the same screen. It lives in the URL's fragment, so a static host
 * never sees it: `#lab=zero-trust-tenants&seed=1&c=kubectl+get+pods&i&f=policy.yaml%0A...`.
 */
export type Step =
  /** A line entered in the terminal (a continuation line of an open command is a line too). */
  | { readonly kind: 'line'; readonly text: string }
  /** Ctrl-C in the terminal. */
  | { readonly kind: 'interrupt' }
  /** Ctrl-L in the terminal. */
  | { readonly kind: 'clear' }
  /** The editor's text saved to a session file, before the `kubectl apply -f` line that reads it. */
  | { readonly kind: 'file'; readonly path: string; readonly text: string };

export interface ShareState {
  /** A bundled scenario; undefined for the empty sandbox cluster. */
  readonly scenario: string | undefined;
  /** The scenario's lab (its task, `check`, `hint`) rather than its walkthrough. */
  readonly lab: boolean;
  /** undefined: the scenario's own seed (1 for the sandbox). */
  readonly seed: number | undefined;
  readonly steps: readonly Step[];
}

export const EMPTY_STATE: ShareState = { scenario: undefined, lab: false, seed: undefined, steps: [] };

/** The fragment (without `#`) that encodes `state`. */
export function encodeShareState(state: ShareState): string {
  const params = new URLSearchParams();
  if (state.scenario !== undefined) params.append(state.lab ? 'lab' : 'scenario', state.scenario);
  if (state.seed !== undefined) params.append('seed', String(state.seed));
  for (const step of state.steps) {
    if (step.kind === 'line') params.append('c', step.text);
    else if (step.kind === 'interrupt') params.append('i', '');
    else if (step.kind === 'clear') params.append('l', '');
    else params.append('f', `${step.path}\n${step.text}`);
  }
  return params.toString();
}

/** Reads a fragment (with or without `#`); what it cannot read is named in `problems` and left out. */
export function decodeShareState(fragment: string): { state: ShareState; problems: string[] } {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const steps: Step[] = [];
  const problems: string[] = [];
  let scenario: string | undefined;
  let lab = false;
  let seed: number | undefined;
  for (const [key, value] of params) {
    switch (key) {
      case 'scenario':
      case 'lab':
        scenario = value;
        lab = key === 'lab';
        break;
      case 'seed':
        if (/^\d{1,9}$/.test(value)) seed = Number(value);
        else problems.push(`seed must be a whole number, received "${value}"`);
        break;
      case 'c':
        steps.push({ kind: 'line', text: value });
        break;
      case 'i':
        steps.push({ kind: 'interrupt' });
        break;
      case 'l':
        steps.push({ kind: 'clear' });
        break;
      case 'f': {
        const newline = value.indexOf('\n');
        if (newline <= 0) problems.push('a file step needs a name, a newline, then the text');
        else steps.push({ kind: 'file', path: value.slice(0, newline), text: value.slice(newline + 1) });
        break;
      }
      default:
        problems.push(`unknown part "${key}"`);
    }
  }
  return { state: { scenario, lab, seed, steps }, problems };
}
