import type { Cluster } from '@cilium-sim/core';
import { PROGRAMS } from './dispatcher.ts';
import { TOOL_HELP as HELP } from './toolHelp.ts';

const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  kubectl: [
    'apply',
    'create',
    'delete',
    'get',
    'describe',
    'label',
    'annotate',
    'expose',
    'scale',
    'run',
    'logs',
    'exec',
    'wait',
    'rollout',
    'version',
  ],
  hubble: ['observe', 'status'],
  cilium: ['status', 'config', 'endpoint', 'identity', 'encryption', 'encrypt', 'policy', 'version'],
  'cilium-dbg': ['status', 'endpoint', 'identity', 'config', 'policy', 'encrypt', 'bpf', 'version'],
  'cilium-sim': ['matrix', 'map', 'policy', 'replay', 'scenario', 'version'],
  docker: ['exec'],
};

const KUBECTL_TYPES = [
  'pods',
  'services',
  'deployments',
  'namespaces',
  'nodes',
  'endpoints',
  'cnp',
  'ccnp',
  'netpol',
  'cep',
  'ciliumidentities',
  'daemonsets',
  'configmaps',
  'all',
];

const FLAGS: Readonly<Record<string, readonly string[]>> = {
  kubectl: ['-n', '-A', '-l', '-o', '-f', '--show-labels', '--dry-run=server', '--timestamps=true', '-c', '--overwrite', '--replicas'],
  hubble: [
    '--type',
    '--from-pod',
    '--to-pod',
    '--pod',
    '--namespace',
    '--from-label',
    '--to-label',
    '--label',
    '--verdict',
    '--protocol',
    '--port',
    '--from-identity',
    '--to-identity',
    '--since',
    '--last',
    '-o',
    '--http-method',
    '--http-path',
    '--http-status',
    '--print-policy-names',
    '--not',
  ],
};

/** Tab completion: commands, subcommands, flags, resource types, pod/namespace/policy names. */
export function completer(cluster: Cluster): (words: string[]) => string[] {
  return (words) => {
    const current = words[words.length - 1] ?? '';
    const [cmd, sub] = words;
    let candidates: readonly string[];
    if (words.length <= 1) candidates = [...Object.keys(PROGRAMS), 'help', 'exit'];
    else if (current.startsWith('-')) candidates = FLAGS[cmd ?? ''] ?? [];
    else if (words.length === 2) candidates = SUBCOMMANDS[cmd ?? ''] ?? [];
    else if (cmd === 'kubectl' && (sub === 'get' || sub === 'delete' || sub === 'label') && words.length === 3) candidates = KUBECTL_TYPES;
    else candidates = names(cluster, words);
    return candidates.filter((c) => c.startsWith(current));
  };
}

function names(cluster: Cluster, words: readonly string[]): string[] {
  const prev = words[words.length - 2];
  if (prev === '-n' || prev === '--namespace') return cluster.list('Namespace').map((n) => n.metadata.name);
  if (words.includes('cnp') || words.includes('ciliumnetworkpolicies'))
    return cluster.list('CiliumNetworkPolicy').map((p) => p.metadata.name);
  const pods = cluster.list('Pod');
  if (prev === '--from-pod' || prev === '--to-pod' || prev === '--pod')
    return pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  return pods.map((p) => p.metadata.name);
}

export function helpText(topic: string | undefined): string {
  if (topic !== undefined) return `${HELP[topic] ?? `no help for "${topic}"; commands: ${Object.keys(HELP).join(', ')}`}\n`;
  return `Commands:\n${Object.entries(HELP)
    .map(([k, v]) => `  ${k.padEnd(11)} ${v.split('\n')[0]}`)
    .join(
      '\n',
    )}\nShell: VAR=$(cmd), $VAR, echo, | grep [-i] [-v], | head, | tail, | wc -l, | yq, && ||, CMD & with kill, wait, jobs\nhelp COMMAND for more; exit or Ctrl-D to leave.\n`;
}
