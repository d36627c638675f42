import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `-t drop`, `-t trace:to-endpoint`: the monitor event type, and sub-type when given. */
export const eventTypeFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.eventType)) return [];
  const wanted = ff.eventType;
  return [
    (flow) =>
      wanted.some((t) => t.type === flow.event_type.type && (t.subType === undefined || t.subType === (flow.event_type.sub_type ?? 0))),
  ];
};
