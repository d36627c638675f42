// Tetragon's event filters against a fixed set of events: one field per row, as `tetra getevents`
// sets them from its flags; and the per-node buffer's bound.
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { filterRuntimeEvents, type RuntimeEventFilter } from '../../src/tetragon/eventFilter.ts';
import type { PodContext } from '../../src/tetragon/podInfo.ts';
import type { RuntimeEvent } from '../../src/tetragon/runtimeEvent.ts';
import { Tetragon } from '../../src/tetragon/tetragon.ts';

function pod(namespace: string, name: string): PodContext {
  return {
    namespace,
    name,
    podLabels: { app: name },
    workload: name,
    workloadKind: 'Pod',
    containerId: `containerd://${'ab'.repeat(32)}`,
    containerName: 'main',
    image: { id: 'docker.io/library/busybox@sha256:00', name: 'docker.io/library/busybox:latest' },
    containerStartTime: '2024-07-04T17:58:00Z',
  };
}

/** xwing's curl (exec, connect, exit), a frontend nslookup in economy, and a curl on the node. */
function sampleEvents(capacity?: number): { tetragon: Tetragon; events: RuntimeEvent[] } {
  const tetragon = new Tetragon({
    clock: new Clock(),
    rng: Rng.seeded(1),
    nodes: ['kind-worker'],
    emit: () => {},
    ...(capacity === undefined ? {} : { capacity }),
  });
  const curl = tetragon.exec({ node: 'kind-worker', pod: pod('default', 'xwing') }, ['curl', 'http://deathstar']);
  tetragon.connect(curl, { saddr: '10.244.1.5', sport: 40000, daddr: '10.244.2.7', dport: 80 });
  tetragon.exit(curl, 28);
  const ns = tetragon.exec({ node: 'kind-worker', pod: pod('economy', 'frontend-7c5d') }, ['nslookup', 'backend']);
  tetragon.exit(ns, 0);
  const host = tetragon.exec({ node: 'kind-worker', pod: undefined }, ['curl', 'http://10.96.0.1']);
  tetragon.exit(host, 7);
  return { tetragon, events: tetragon.events() };
}

const label = (e: RuntimeEvent): string => `${e.process.pod?.name ?? 'host'} ${e.type} ${e.process.binary}`;

describe('runtime event filters', () => {
  const { events } = sampleEvents();
  const rows: readonly [string, RuntimeEventFilter, number][] = [
    ['no field matches everything', {}, 7],
    ['a namespace', { namespace: ['economy'] }, 2],
    ['the empty namespace: processes on the node', { namespace: [''] }, 2],
    ['several namespaces, any of them', { namespace: ['economy', 'default'] }, 5],
    ['a pod name regex, searched anywhere in the name', { podRegex: ['^frontend'] }, 2],
    ['a pod regex never matches a process outside a pod', { podRegex: ['.*'] }, 5],
    ['a binary regex', { binaryRegex: ['nslookup'] }, 2],
    ['the curl binary, in and out of pods', { binaryRegex: ['/curl$'] }, 5],
    ['an event type', { eventSet: ['PROCESS_KPROBE'] }, 1],
    ['two event types', { eventSet: ['PROCESS_EXEC', 'PROCESS_EXIT'] }, 6],
    ['fields together must all match', { namespace: ['default'], eventSet: ['PROCESS_EXIT'] }, 1],
    ['a tracing policy name keeps its kprobe events only', { policyNames: ['connect'] }, 1],
    ['an unknown policy name keeps nothing', { policyNames: ['file-monitoring'] }, 0],
  ];

  it.each(rows)('%s', (_name, filter, count) => {
    expect(filterRuntimeEvents(events, { allowList: [filter] })).toHaveLength(count);
  });

  it('keeps an event when any allow filter matches and no deny filter does', () => {
    const kept = filterRuntimeEvents(events, {
      allowList: [{ namespace: ['economy'] }, { eventSet: ['PROCESS_KPROBE'] }],
      denyList: [{ binaryRegex: ['nslookup'] }],
    });
    expect(kept.map(label)).toEqual(['xwing process_kprobe /usr/bin/curl']);
  });

  it('keeps the newest events of a node once its buffer is full, counting the lost ones', () => {
    const { tetragon } = sampleEvents(4);
    expect(tetragon.events().map(label)).toEqual([
      'frontend-7c5d process_exec /usr/bin/nslookup',
      'frontend-7c5d process_exit /usr/bin/nslookup',
      'host process_exec /usr/bin/curl',
      'host process_exit /usr/bin/curl',
    ]);
    expect(tetragon.counts()).toEqual({ seen: 7, lost: 3 });
  });
});
