import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `--traffic-direction ingress|egress`. */
export const trafficDirectionFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.trafficDirection)) return [];
  const wanted = new Set<string>(ff.trafficDirection);
  return [(flow) => flow.traffic_direction !== undefined && wanted.has(flow.traffic_direction)];
};
