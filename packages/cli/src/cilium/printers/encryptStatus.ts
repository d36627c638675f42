/**
 * `cilium encryption status` (cilium-cli, on the host) sums the agents up per mode
 * (`Encryption: Disabled (3/3 nodes)`, then a blank line, as it prints with Println);
 * `cilium-dbg encrypt status` (in an agent pod) prints its own node's mode: `Encryption: Disabled`.
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

/**
 * `cilium encryption status -o json`: cilium-cli's cluster summary, keys as its ClusterStatus
 * struct names them (the xfrm error maps are left out when empty, as omitempty does).
 */
export function formatEncryptionStatusJson(modes: readonly EncryptionMode[]): string {
  const count = (m: EncryptionMode): number => modes.filter((x) => x === m).length;
  const ipsec = count('IPsec');
  const summary = {
    'total-node-count': modes.length,
    'enc-disabled-node-count': count('Disabled'),
    'enc-ipsec-node-count': ipsec,
    'enc-wireguard-node-count': count('Wireguard'),
    'ipsec-keys-in-use-node-count': {},
    'ipsec-max-seq-num': '',
    'ipsec-err-count': 0,
    'ipsec-key-rotation-in-progress': false,
    'ipsec-expected-key-count': 0,
  };
  return `${JSON.stringify(summary, null, 2)}\n`;
}
