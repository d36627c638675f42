import { UsageError } from '../tools/usageError.ts';

/** The namespace the simulated cluster runs Cilium in, and the kubeconfig context of its kind cluster. */
const CILIUM_NAMESPACE = 'kube-system';
const KIND_CONTEXT = 'kind-kind';

/** cilium-cli's persistent flags (on its root command, so taken before or after any subcommand). */
const PERSISTENT: Readonly<Record<string, { readonly short?: string }>> = {
  namespace: { short: 'n' },
  context: {},
  kubeconfig: {},
  'helm-release-name': {},
};

/**
 * Takes cilium-cli's persistent flags out of `argv` wherever they stand (`cilium -n kube-system
 * status`, `cilium status --namespace=kube-system`), as cobra reads them, and returns the rest.
 * They name where Cilium runs: the simulated cluster has it in kube-system of the kind-kind
 * context, so another namespace or context is refused by name rather than silently ignored.
 */
export function withoutPersistentFlags(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const flag = persistentFlag(word);
    if (flag === undefined) {
      rest.push(word);
      continue;
    }
    let value = flag.value;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined)
        throw refuse(flag.name, `Error: flag needs an argument: ${flag.short ? `'${word.slice(1)}' in ${word}` : `--${flag.name}`}`);
    }
    checkValue(flag.name, value);
  }
  return rest;
}

/** `--namespace X`, `--namespace=X`, `-n X`, `-nX`, `-n=X`: the flag's name and its value if attached. */
function persistentFlag(word: string): { name: string; value: string | undefined; short: boolean } | undefined {
  const long = /^--([a-z-]+)(?:=(.*))?$/s.exec(word);
  if (long !== null && Object.hasOwn(PERSISTENT, long[1]!)) return { name: long[1]!, value: long[2], short: false };
  const short = /^-([a-zA-Z])(?:=?(.*))?$/s.exec(word);
  const name = short === null ? undefined : Object.keys(PERSISTENT).find((n) => PERSISTENT[n]!.short === short[1]);
  if (name === undefined) return undefined;
  return { name, value: short![2] === '' ? undefined : short![2], short: true };
}

function checkValue(name: string, value: string): void {
  if (name === 'namespace' && value !== CILIUM_NAMESPACE)
    throw refuse(
      name,
      `Error: Cilium runs in namespace "${CILIUM_NAMESPACE}" in cilium-sim; --namespace "${value}" holds no Cilium installation`,
    );
  if (name === 'context' && value !== KIND_CONTEXT)
    throw refuse(name, `Error: context "${value}" does not exist (the simulated kind cluster's context is ${KIND_CONTEXT})`);
}

function refuse(name: string, message: string): UsageError {
  return new UsageError({ code: 'INVALID_FLAG', object: 'cilium', path: `--${name}`, message });
}
