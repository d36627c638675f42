import { isSet, wildcardRegExp, type FilterBuilder } from './flowFilter.ts';

/**
 * `--node-name kind-worker`, `--node-name 'kind-*'`, `--node-name default/kind-worker`. The part
 * before a slash is the cluster name; the simulator's one cluster is named `default`.
 */
export const nodeNameFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.nodeName)) return [];
  const patterns = ff.nodeName.map((v) => {
    const slash = v.indexOf('/');
    const cluster = slash === -1 ? '*' : v.slice(0, slash);
    return { cluster: wildcardRegExp(cluster), node: wildcardRegExp(v.slice(slash + 1)) };
  });
  return [(flow) => patterns.some((p) => p.cluster.test('default') && p.node.test(flow.node_name))];
};
