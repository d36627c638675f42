/**
 * What each emulated tool does in the simulator, in a few lines: the REPL's `help COMMAND`, and
 * what `--help` or `-h` prints on the tool's command line, where the real tool prints its cobra
 * help. A help flag is never an unknown flag.
 */
export const TOOL_HELP: Readonly<Record<string, string>> = {
  kubectl:
    'kubectl apply|create|delete -f FILE|URL, get TYPE [NAME] [-n NS|-A] [-l SEL] [-o wide|yaml|json|name|jsonpath=...],\n  create namespace|deployment|service clusterip|serviceaccount|secret generic NAME, expose, describe,\n  label, annotate, scale, run, wait --for=condition=Ready, rollout status, logs [-c C] [--timestamps], exec [-n NS] POD -- curl|grpcurl|nc|nslookup|dig|sh -c ...,\n  exec -n kube-system POD -c tetragon -- tetra getevents [-o compact] (with --tetragon)',
  hubble:
    'hubble observe [--type drop|trace|policy-verdict|l7] [--from-pod NS/POD] [--to-pod ...] [--verdict V] [--protocol P]\n  [--port N] [--http-method M] [--last N] [--since D] [-o compact|json|dict|table] [--print-policy-names]',
  cilium:
    'cilium status | version | config view | config set KEY VALUE | encryption status | endpoint list | identity list |\n  policy trace --src-k8s-pod NS:POD --dst-k8s-pod NS:POD --dport PORT[/PROTO]   (cilium-dbg status in an agent pod)',
  'cilium-sim':
    'cilium-sim matrix [-n NS|-A] [--port P/PROTO] | map -o svg|mermaid|dot | policy suggest [-n NS] | replay --with FILE|DIR | scenario list',
  sleep: 'sleep DURATION   moves the virtual clock (5, 30s, 5m, 1h30m)',
  docker:
    'docker exec NODE CMD...   run curl/nc/nslookup on a kind node (identity host / remote-node)\n  docker exec NODE tcpdump -i any -nn [-c N] [-w FILE] [FILTER] &   capture what the next commands send; kill %1 stops it',
  outside: 'outside [--ip IP] -- CMD...   run curl/grpcurl/nc/nslookup from a client outside the cluster (identity world)',
};

/** Tools whose every word before `--` is theirs, so `-h` or `--help` there asks for help, as cobra reads it. */
const COBRA_TOOLS: ReadonlySet<string> = new Set(['kubectl', 'hubble', 'cilium', 'cilium-dbg']);

/**
 * The help `tool ARGS` asks for, or undefined: cobra answers `-h` and `--help` anywhere before
 * `--` with the command's help and status 0, whatever else the line holds.
 */
export function helpAskedFor(tool: string, args: readonly string[]): string | undefined {
  // cilium-sim's subcommands print their own usage; the bare command prints the summary.
  const words = tool === 'cilium-sim' ? args.slice(0, 1) : COBRA_TOOLS.has(tool) ? args : [];
  for (const a of words) {
    if (a === '--') return undefined;
    if (a === '-h' || a === '--help' || a === '--help=true' || a === '-h=true') {
      const name = tool === 'cilium-dbg' ? 'cilium' : tool;
      return `${TOOL_HELP[name] ?? tool}\n`;
    }
  }
  return undefined;
}
