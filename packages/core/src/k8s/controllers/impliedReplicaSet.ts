import { objectKey } from '../objects.ts';
import { derivedUid } from '../randomStreams.ts';

/**
 * ReplicaSets are not stored: a Deployment's pods name the implied `<deployment>-<hash>` (the
 * pod-template-hash has no dash), which stands while its Deployment does, under a uid derived
 * from the Deployment's and the hash, so a Deployment made anew implies ReplicaSets of new uids.
 */
export function impliedReplicaSetUid(deploymentUid: string, hash: string): string {
  return derivedUid(`${deploymentUid}/${hash}`);
}

/** The Deployment key and template hash a ReplicaSet name implies, or undefined for a name no Deployment implies. */
export function impliedBy(namespace: string, replicaSet: string): { readonly key: string; readonly hash: string } | undefined {
  const dash = replicaSet.lastIndexOf('-');
  if (dash <= 0) return undefined;
  return { key: objectKey({ kind: 'Deployment', namespace, name: replicaSet.slice(0, dash) }), hash: replicaSet.slice(dash + 1) };
}
