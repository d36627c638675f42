import { tabwriteText as tabwrite } from '@cilium-sim/core';

/**
 * `cilium config view|set|delete` as cilium-cli prints them. The view is the cilium-config
 * ConfigMap: keys sorted, each value aligned four spaces after the longest key, no header.
 */
export function formatConfigView(data: Readonly<Record<string, string>>): string {
  const keys = Object.keys(data).sort();
  return tabwrite(keys.map((k) => `${k}\t${data[k]}\n`).join(''), { minWidth: 0, padding: 4 });
}

/** What `cilium config set K V` prints; without `--restart=false` it also restarts the agents. */
export function formatConfigSet(key: string, value: string, restarted: boolean): string {
  return `✨ Patching ConfigMap cilium-config with ${key}=${value}...\n${restartLine(restarted)}`;
}

export function formatConfigDelete(key: string, restarted: boolean): string {
  return `✨ Removing key ${key} from ConfigMap cilium-config...\n${restartLine(restarted)}`;
}

function restartLine(restarted: boolean): string {
  return restarted ? '♻️  Restarted Cilium pods\n' : '⚠️  Restart Cilium pods for configmap changes to take effect\n';
}
