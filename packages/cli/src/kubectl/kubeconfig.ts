import { kubectlError, kubectlFlags } from './kubectlFlags.ts';

/**
 * `kubectl config current-context | get-contexts | use-context NAME`: the kubeconfig kind writes,
 * with its one context, `kind-kind`. What a script reads to check where it runs; the
 * kubeconfig's other verbs, which change it, are refused by name.
 */
export interface KubeconfigRequest {
  readonly verb: 'config';
  /** What the command prints on stdout (status 0), or its refusal on stderr (status 1). */
  readonly stdout: string;
  readonly stderr: string;
}

const CONTEXT = 'kind-kind';

export function parseKubeconfig(args: readonly string[]): KubeconfigRequest {
  const [sub, ...rest] = args;
  const flags = kubectlFlags(`config ${sub ?? ''}`.trim(), rest, [
    { name: 'no-headers', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
  ]);
  const [name] = flags.positionals;
  switch (sub) {
    case 'current-context':
      return answer(`${CONTEXT}\n`);
    case 'get-contexts': {
      if (name !== undefined && name !== CONTEXT) return refusal(`error: context ${name} not found`);
      if (flags.values.get('output') === 'name') return answer(`${CONTEXT}\n`);
      const header = flags.values.get('no-headers') === true ? '' : 'CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n';
      return answer(`${header}*         ${CONTEXT}   ${CONTEXT}   ${CONTEXT}   \n`);
    }
    case 'use-context':
      if (name === undefined) throw kubectlError('config use-context', 'error: Unexpected args: []');
      if (name !== CONTEXT) return refusal(`error: no context exists with the name: "${name}"`);
      return answer(`Switched to context "${CONTEXT}".\n`);
    case undefined:
      throw kubectlError('config', 'error: kubectl config needs a subcommand: current-context, get-contexts or use-context');
    default:
      return refusal(`error: kubectl config ${sub} is not modelled in cilium-sim; the kubeconfig holds one context, ${CONTEXT}`);
  }
}

function answer(stdout: string): KubeconfigRequest {
  return { verb: 'config', stdout, stderr: '' };
}

function refusal(line: string): KubeconfigRequest {
  return { verb: 'config', stdout: '', stderr: `${line}\n` };
}
