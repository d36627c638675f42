// A step that reaches the event limit is undone: the cluster is as it was before it, and the
// commands after it behave as if it had never been tried.
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, type Flow } from '../../src/index.ts';

const WEB =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n---\n' +
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client, labels: {app: client}}\nspec:\n  containers: [{name: c, image: curl}]\n';

/** A cluster with a small event limit and a short history of steps. */
function withHistory(): { cluster: Cluster; flows: Flow[] } {
  const cluster = Cluster.create({ seed: 7, eventLimit: 20_000 });
  const flows: Flow[] = [];
  cluster.on('flow', (f) => flows.push(f));
  cluster.apply(WEB);
  cluster.setConfig('debug', 'true');
  cluster.exec('default/client').curl('http://10.0.0.1');
  cluster.advance('30s');
  return { cluster, flows };
}

function runAway(cluster: Cluster): unknown {
  const web = cluster.get('Pod', 'web', 'default')!;
  try {
    // 20,000 segments are far more events than the limit allows.
    cluster.exec('default/client').nc({ host: web.status.podIP!, port: 80, segments: 20_000 });
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('a step that reaches the event limit', () => {
  it('is refused with LIMIT_EXCEEDED naming eventLimit, and the cluster is as it was before it', () => {
    const { cluster, flows } = withHistory();
    const [state, now, config, log, relay] = [
      cluster.state,
      cluster.now(),
      cluster.inspect.config(),
      cluster.inspect.agentLog('kind-worker'),
      cluster.flows(),
    ];
    const seen = flows.length;
    const error = runAway(cluster);
    expect(isSimError(error) && error.code).toBe('LIMIT_EXCEEDED');
    expect(isSimError(error) && error.issues[0]?.path).toBe('eventLimit');
    expect(isSimError(error) && error.message).toBe(
      'eventLimit: the simulation ran more than 20000 events in one step; the step was undone',
    );
    expect(cluster.state).toEqual(state);
    expect(cluster.now()).toEqual(now);
    expect(cluster.inspect.config()).toEqual(config);
    expect(cluster.inspect.agentLog('kind-worker')).toEqual(log);
    expect(cluster.flows()).toEqual(relay);
    // The listener saw the runaway step's flows as they happened, never a replay of the history.
    expect(flows.length).toBeGreaterThan(seen);
    expect(flows.slice(seen).every((f) => f.time >= relay.at(-1)!.time)).toBe(true);
  });

  it('leaves later commands working, with the results of a cluster that never tried it', () => {
    const { cluster } = withHistory();
    const twin = withHistory().cluster;
    runAway(cluster);
    const after = (c: Cluster) => {
      const web = c.get('Pod', 'web', 'default')!;
      const nc = c.exec('default/client').nc({ host: web.status.podIP!, port: 80, segments: 5 });
      c.advance('10s');
      c.spireServer()!.createEntry({ spiffeId: 'spiffe://spiffe.cilium/x', parentId: 'spiffe://spiffe.cilium/y', selectors: ['a:b'] });
      const entries = c.spireServer()!.listEntries().length;
      c.faults.spireServerDown();
      return { nc, now: c.now(), flows: c.flows().map((f) => f.time), entries, faults: c.faults.active() };
    };
    expect(after(cluster)).toEqual(after(twin));
  });

  it('keeps references taken before it (faults, the SPIRE server, exec) pointing at the cluster', () => {
    const { cluster } = withHistory();
    const server = cluster.spireServer()!;
    const faults = cluster.faults;
    const exec = cluster.exec('default/client');
    runAway(cluster);
    expect(server.listEntries()).toEqual(cluster.spireServer()!.listEntries());
    faults.spireServerDown();
    expect(cluster.faults.active().map((f) => f.kind)).toEqual(['spire-server-down']);
    expect(exec.nslookup('web.default.svc.cluster.local').ok).toBe(false);
  });

  it('replays repeated commands, each with options written afresh, as they ran', () => {
    // The journal records a command equal to a recent one as that command again: the replay must
    // still run each of them, in order, with the options each was given.
    const history = (c: Cluster) => {
      const web = c.get('Pod', 'web', 'default')!.status.podIP!;
      const client = c.exec('default/client');
      const results: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        results.push(client.curl({ url: `http://${web}/`, connectTimeoutMs: 200 }));
        // Nobody answers there: the timeout each was given shows in the clock.
        results.push(client.curl({ url: 'http://10.244.9.9/', connectTimeoutMs: i % 2 === 0 ? 200 : 300 }));
        if (i === 3) c.advance('2s');
      }
      results.push(client.nc({ host: web, port: 81 }));
      return results;
    };
    const { cluster } = withHistory();
    const twin = withHistory().cluster;
    const ran = history(cluster);
    expect(ran).toEqual(history(twin));
    // Each command ran with its own options: the unanswered curls waited their own timeouts.
    const waited = ran.flatMap((r) => {
      const { code, elapsedMs } = r as { code?: number; elapsedMs?: number };
      return code === 28 ? [elapsedMs] : [];
    });
    expect(waited).toEqual([201, 301, 201, 301, 201, 301]);
    runAway(cluster);
    expect(cluster.now()).toEqual(twin.now());
    expect(cluster.flows()).toEqual(twin.flows());
    expect(cluster.inspect.datapathStats()).toEqual(twin.inspect.datapathStats());
    expect(cluster.state).toEqual(twin.state);
  });
});
