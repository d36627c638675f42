import { describe, expect, it } from 'vitest';
import { hubble, type Flow } from '@cilium-sim/core';
import { hubbleObserve as observeFlows } from '../../src/hubble/observe.ts';
import * as fx from '../../../core/test/hubble/flowFixtures.ts';

const { HubbleObserver, formatFlowTime, instantFromEpochMs } = hubble;
type HubbleObserver = hubble.HubbleObserver;

/** `hubble observe` over one observer's buffer, as the CLI runs it over the cluster's. */
const hubbleObserve = (observer: HubbleObserver, argv: readonly string[], nowEpochMs: number) =>
  observeFlows((query) => hubble.queryFlows(observer, query), argv, nowEpochMs);

const T0 = Date.UTC(2024, 6, 4, 17, 0, 0);

/** 30 SYN drops one second apart, so selections can be counted. */
function observerWithDrops(): HubbleObserver {
  const observer = new HubbleObserver();
  for (let i = 0; i < 30; i++) {
    const flow: Flow = {
      ...fx.xwingPolicyDrop,
      time: formatFlowTime(instantFromEpochMs(T0 + i * 1000)),
      uuid: `u${i}`,
      l4: { TCP: { source_port: 40000 + i, destination_port: 80, flags: { SYN: true } } },
    };
    observer.record(flow);
  }
  return observer;
}
const ports = (stdout: string) => [...stdout.matchAll(/xwing:(\d+)/g)].map((m) => Number(m[1]) - 40000);

describe('hubble observe', () => {
  it('prints the newest 20 flows, oldest first, when no selector is given', () => {
    const out = hubbleObserve(observerWithDrops(), [], T0 + 60_000);
    expect(out.exitCode).toBe(0);
    expect(ports(out.stdout)).toEqual([...Array(20).keys()].map((i) => i + 10));
  });

  it('honours --last, --first and --all', () => {
    const observer = observerWithDrops();
    expect(ports(hubbleObserve(observer, ['--last', '3'], T0).stdout)).toEqual([27, 28, 29]);
    expect(ports(hubbleObserve(observer, ['--first', '2'], T0).stdout)).toEqual([0, 1]);
    expect(ports(hubbleObserve(observer, ['--all'], T0).stdout)).toHaveLength(30);
  });

  it('selects flows of the recent past with --since and up to a time with --until', () => {
    const observer = observerWithDrops();
    expect(ports(hubbleObserve(observer, ['--since', '5s'], T0 + 29_000).stdout)).toEqual([24, 25, 26, 27, 28, 29]);
    expect(ports(hubbleObserve(observer, ['--since', '10s', '--last', '2'], T0 + 29_000).stdout)).toEqual([28, 29]);
    expect(ports(hubbleObserve(observer, ['--until', '2024-07-04T17:00:01Z'], T0).stdout)).toEqual([0, 1]);
  });

  it('shows every recorded flow for --follow, as a terminal following from the start would', () => {
    expect(ports(hubbleObserve(observerWithDrops(), ['-f'], T0).stdout)).toHaveLength(30);
  });

  it('filters the Star Wars flows to the drops from xwing', () => {
    const observer = new HubbleObserver();
    for (const f of fx.ALL_FIXTURES) observer.record(f);
    expect(hubbleObserve(observer, ['--from-pod', 'default/xwing', '--verdict', 'DROPPED', '-t', 'drop'], T0).stdout).toBe(
      'Jun 15 14:07:01.123: default/xwing:41702 (ID:22654) <> default/deathstar-6fb5694d48-5hmds:80 (ID:16530) Policy denied DROPPED (TCP Flags: SYN)\n',
    );
  });

  it('reports a bad flag on stderr with exit code 1 and prints nothing else', () => {
    expect(hubbleObserve(new HubbleObserver(), ['--bogus'], T0)).toEqual({
      stdout: '',
      stderr: 'Error: unknown flag: --bogus\n',
      exitCode: 1,
    });
  });

  it('prints nothing for an empty buffer', () => {
    expect(hubbleObserve(new HubbleObserver(), [], T0)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});
