import { tabwriteText as tabwrite } from '@cilium-sim/core';

/**
 * `cilium status` (cilium-cli status/status.go) with colours stripped: the logo beside the
 * summary of each component, then the workloads, containers, pod count and images, aligned by
 * Go's tabwriter with padding 4. Rows within a section are sorted by name.
 */
export interface CiliumStatusSummary {
  /** `OK`, `disabled`, `1 errors`, `2 warnings`, `disabled (using embedded mode)`. */
  readonly cilium: string;
  readonly operator: string;
  readonly envoyDaemonSet: string;
  readonly hubbleRelay: string;
  readonly clusterMesh: string;
}

export interface WorkloadState {
  readonly kind: 'DaemonSet' | 'Deployment';
  readonly name: string;
  readonly desired: number;
  readonly ready: number;
  readonly available: number;
  readonly unavailable: number;
}

export interface CiliumStatus {
  readonly summary: CiliumStatusSummary;
  readonly workloads: readonly WorkloadState[];
  /** Container phases per workload: `{ name: 'cilium', phases: { Running: 2 } }`. */
  readonly containers: readonly { readonly name: string; readonly phases: Readonly<Record<string, number>> }[];
  readonly clusterPods: { readonly managed: number; readonly total: number };
  readonly helmChartVersion?: string;
  readonly images: readonly { readonly name: string; readonly image: string; readonly count: number }[];
  readonly errors?: readonly { readonly workload: string; readonly pod: string; readonly message: string }[];
  readonly warnings?: readonly { readonly workload: string; readonly pod: string; readonly message: string }[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function formatCiliumStatus(s: CiliumStatus): string {
  let text = '    /¯¯\\\n';
  text += ` /¯¯\\__/¯¯\\\tCilium:\t${s.summary.cilium}\n`;
  text += ` \\__/¯¯\\__/\tOperator:\t${s.summary.operator}\n`;
  text += ` /¯¯\\__/¯¯\\\tEnvoy DaemonSet:\t${s.summary.envoyDaemonSet}\n`;
  text += ` \\__/¯¯\\__/\tHubble Relay:\t${s.summary.hubbleRelay}\n`;
  text += `    \\__/\tClusterMesh:\t${s.summary.clusterMesh}\n\n`;
  for (const w of [...s.workloads].sort(byName)) text += `${w.kind}\t${w.name}\t${workloadCounts(w)}\n`;
  [...s.containers].sort(byName).forEach((c, i) => {
    text += `${i === 0 ? 'Containers:' : ''}\t${c.name}\t${phaseCounts(c.phases)}\n`;
  });
  text += `Cluster Pods:\t${s.clusterPods.managed}/${s.clusterPods.total} managed by Cilium\n`;
  if (s.helmChartVersion !== undefined) text += `Helm chart version:\t${s.helmChartVersion}\n`;
  [...s.images]
    .sort((a, b) => byName(a, b) || (a.image < b.image ? -1 : 1))
    .forEach((img, i) => {
      text += `${i === 0 ? 'Image versions' : ''}\t${img.name}\t${img.image}: ${img.count}\n`;
    });
  text += problems('Errors:', s.errors ?? []) + problems('Warnings:', s.warnings ?? []);
  return tabwrite(text, { minWidth: 0, padding: 4 });
}

/** `Desired: 2, Ready: 2/2, Available: 2/2`; zero counts are left out, as cilium-cli does. */
function workloadCounts(w: WorkloadState): string {
  const items: string[] = [];
  if (w.desired > 0) items.push(`Desired: ${w.desired}`);
  if (w.ready > 0) items.push(`Ready: ${w.ready}/${w.desired}`);
  if (w.available > 0) items.push(`Available: ${w.available}/${w.desired}`);
  if (w.unavailable > 0) items.push(`Unavailable: ${w.unavailable}/${w.desired}`);
  return items.join(', ');
}

function phaseCounts(phases: Readonly<Record<string, number>>): string {
  return Object.keys(phases)
    .sort()
    .map((p) => `${p}: ${phases[p]}`)
    .join(', ');
}

function problems(header: string, list: readonly { workload: string; pod: string; message: string }[]): string {
  return list.map((p, i) => `${i === 0 ? header : ''}\t${p.workload}\t${p.pod}\t${p.message}\n`).join('');
}
