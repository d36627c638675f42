/**
 * `cilium encrypt status`. cilium-cli (on the host) sums the agents up per mode
 * (`Encryption: Disabled (3/3 nodes)`, then a blank line, as it prints with Println);
 * cilium-dbg (in an agent pod) prints its own node's mode: `Encryption: Disabled`.
 */
export type EncryptionMode = 'Disabled' | 'Wireguard' | 'IPsec';

export function formatClusterEncryptStatus(modes: readonly EncryptionMode[]): string {
  const total = modes.length;
  const count = (m: EncryptionMode): number => modes.filter((x) => x === m).length;
  let text = '';
  // cilium-cli writes Disabled, then IPsec, then Wireguard, each only when some node has it.
  for (const mode of ['Disabled', 'IPsec', 'Wireguard'] as const) {
    if (count(mode) > 0) text += `Encryption: ${mode} (${count(mode)}/${total} nodes)\n`;
  }
  return `${text}\n`;
}

export function formatAgentEncryptStatus(mode: EncryptionMode): string {
  return `Encryption: ${mode}\n`;
}
