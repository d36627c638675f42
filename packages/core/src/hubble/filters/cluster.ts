import { isSet, wildcardRegExp, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

/** `--from-cluster`, `--to-cluster`, `--cluster`: the endpoint's cluster name, `*` wildcards allowed. */
export const clusterFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceClusterName)) {
    const patterns = ff.sourceClusterName.map((c) => wildcardRegExp(c));
    out.push((flow) => patterns.some((p) => p.test(flow.source?.cluster_name ?? '')));
  }
  if (isSet(ff.destinationClusterName)) {
    const patterns = ff.destinationClusterName.map((c) => wildcardRegExp(c));
    out.push((flow) => patterns.some((p) => p.test(flow.destination?.cluster_name ?? '')));
  }
  return out;
};
