/**
 * A counter of changes to what the per-packet path reads: the ipcache (and so which endpoint
 * holds an address), the nodes, the network stacks and every policy map. Whatever changes one of
 * them calls `bumpStateRevision`; the datapath notes the revision at which a connection's policy
 * check passed and skips the check for the connection's next packets while the revision holds,
 * as Cilium's datapath reuses a conntrack entry's verdict, yet a policy change takes effect on
 * the very next packet exactly as before.
 *
 * One counter for the process: clusters in the same process invalidate each other's notes, which
 * costs a lookup and changes no result.
 */
let revision = 0;

export function bumpStateRevision(): void {
  revision++;
}

export function stateRevision(): number {
  return revision;
}
