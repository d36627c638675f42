/**
 * Hosts outside the cluster that CoreDNS resolves: the names the labs use, with fixed
 * addresses so runs are reproducible, plus any the user adds (`--external NAME=IP`).
 */
export const DEFAULT_EXTERNAL_HOSTS: Readonly<Record<string, string>> = {
  'api.github.com': '140.82.121.6',
  'github.com': '140.82.121.4',
  'amit.cilium.rocks': '104.198.14.52',
  'google.com': '142.250.185.78',
  'www.google.com': '142.250.185.68',
  'cilium.io': '104.198.14.52',
  'www.cilium.io': '104.198.14.52',
  'docs.cilium.io': '104.17.32.82',
  'one.one.one.one': '1.1.1.1',
  'example.com': '93.184.215.14',
  'www.example.com': '93.184.215.14',
  'isovalent.com': '172.66.40.149',
  'support.github.com': '140.82.113.22',
};

/** TTL CoreDNS passes on for outside names (seconds), short enough to watch FQDN expiry. */
export const EXTERNAL_TTL_S = 30;
/** TTL of cluster records (the CoreDNS kubernetes plugin's default). */
export const CLUSTER_TTL_S = 5;
