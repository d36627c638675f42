import { addressIdentity } from '../agent/addressIdentity.ts';
import { Agent } from '../agent/agent.ts';
import { AgentCertificates } from '../agent/agentCertificates.ts';
import { AgentConfig } from '../agent/agentConfig.ts';
import { Agents } from '../agent/agents.ts';
import { EndpointManager } from '../agent/endpointManager.ts';
import { FqdnDns } from '../agent/fqdnDns.ts';
import { HubbleEmitter } from '../agent/hubbleEmitter.ts';
import { NamedPortIndex } from '../agent/namedPortIndex.ts';
import { affectsWorkloads, SpiffeWorkloads } from '../agent/spiffeWorkloads.ts';
import { SpireHealth } from '../agent/spireHealth.ts';
import { EgressGatewayManager } from '../egressgateway/egressGatewayManager.ts';
import { GatewayOperator } from '../gatewayapi/gatewayOperator.ts';
import { HubbleObserver } from '../hubble/observer.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import { intToIp, ipToInt } from '../ipv4.ts';
import { IdentityAllocator } from '../identity/allocator.ts';
import { Ipcache } from '../identity/ipcache.ts';
import { BOOTSTRAP_AGE_MS, bootstrapCluster } from '../k8s/bootstrap.ts';
import { servicePodSelector } from '../k8s/endpoints.ts';
import { nodeIp } from '../k8s/ipam.ts';
import { EMPTY_K8S_STATE, listObjects } from '../k8s/state.ts';
import { nameMatching } from '../policy/fqdn.ts';
import { PolicyEngine } from '../policy/policyEngine.ts';
import { L7Proxy } from '../proxy/l7Proxy.ts';
import { Clock } from '../sim/clock.ts';
import { Rng } from '../sim/rng.ts';
import { Scheduler } from '../sim/scheduler.ts';
import { ensureCiliumEntries } from '../spire/operator.ts';
import { SpireServer } from '../spire/server.ts';
import { agentBuild } from '../version/ciliumComponents.ts';
import { behaviourIn } from '../version/ciliumVersion.ts';
import { Tetragon } from '../tetragon/tetragon.ts';
import { Watchers } from '../watchers/watchers.ts';
import { reconcileGateways } from './gatewayReconcile.ts';
import { clusterDnsZone } from '../workload/clusterDnsZone.ts';
import { ApiState } from './apiState.ts';
import { CiliumOperator } from './ciliumOperator.ts';
import { applyConfigEffects } from './configEffects.ts';
import { Network } from './network.ts';
import type { ResolvedOptions } from './options.ts';
import { tierPolicyWarnings, tiersEnforced, tiersImplemented } from './tierPolicyWarnings.ts';
import { PolicyAdmission } from './policyAdmission.ts';
import { EventBus } from './eventBus.ts';
import type { Runtime, SpireRuntime } from './runtime.ts';
import { scheduleAuthGc, scheduleIdentityGc } from './timers.ts';

/** Identities SPIRE issues SVIDs for: the global ones endpoints use, not CIDR or FQDN identities. */
const LOCAL_IDENTITY_BASE = 16777216;

/**
 * Builds a cluster's subsystems in dependency order, each from the ones above it: no step reads
 * something a later step makes. Registries filled later (the agents, as nodes join) are passed
 * as objects, and the few late facts (an agent's SVIDs, the proxy's answers) are looked up when
 * asked. Then boots it: the bootstrap objects reach the watchers, the agents connect to SPIRE,
 * and the background timers start.
 */
export function buildRuntime(options: ResolvedOptions): Runtime {
  // Time, randomness, events.
  const clock = new Clock(options.startMs);
  const scheduler = new Scheduler(clock, options.eventLimit);
  const rng = Rng.seeded(options.seed);
  const events = new EventBus();
  const config = new AgentConfig(options);
  const hubble = new HubbleObserver();

  // Identities and endpoints.
  const identities = new IdentityAllocator(rng.fork('identity'));
  const ipcache = new Ipcache();
  const namedPorts = new NamedPortIndex(!behaviourIn(options.ciliumVersion, 'egress-named-ports-by-peer'));
  const endpoints = new EndpointManager(identities, ipcache, rng.fork('endpoint'));

  // The API server, with its bootstrap objects and policy admission.
  const k8sRng = rng.fork('k8s');
  const api = new ApiState(
    bootstrapCluster({
      nodes: options.nodes,
      mutualAuth: options.mutualAuth,
      spire: options.spire.enabled,
      ciliumVersion: options.ciliumVersion,
      kubeProxyReplacement: config.get('kube-proxy-replacement') === 'true',
      tetragon: options.tetragon,
      clusterName: options.clusterName,
      clock,
      rng: k8sRng,
    }),
  );
  // The spiffeTlsUpgrade extension is on while the config says so (from the options at install,
  // `cilium config set enable-spiffe-tls-upgrade` later).
  const tlsUpgrade = (): boolean => config.get('enable-spiffe-tls-upgrade');
  const admission = new PolicyAdmission(() => (tlsUpgrade() ? ['spiffeTlsUpgrade'] : []), options.ciliumVersion);
  const applyContext = {
    clock,
    rng: k8sRng,
    clusterName: options.clusterName,
    validatePolicy: admission.validate.bind(admission),
    warnings: (obj: { readonly kind: string }) => tierPolicyWarnings(obj.kind, config, options.ciliumVersion),
  };

  // Policy.
  const policyContext = {
    clusterName: options.clusterName,
    serviceSelector: (ns: string, name: string) => servicePodSelector(api.state, ns, name),
  };
  const policy = new PolicyEngine({
    ctx: policyContext,
    mode: config.get('enable-policy'),
    tiers: tiersEnforced(config, options.ciliumVersion),
    namedPorts: (subject) => namedPorts.forSubject(subject.id),
  });

  // The nodes' registry, filled as they join below; FQDN identities; SPIRE's server.
  const names = nameMatching(options.ciliumVersion);
  const agents = new Agents();
  const identityOf = addressIdentity((ip) => endpoints.byIp(ip), agents, ipcache);
  const fqdn = new FqdnDns({
    scheduler,
    allocator: identities,
    ipcache,
    policy,
    nowNs: () => clock.nowNs,
    minTtlS: () => config.get('tofqdns-min-ttl'),
    doubleStarAnyDepth: names.doubleStarAnyDepth,
  });
  const spire = options.spire.enabled ? startSpire(options, clock, scheduler, rng, agents) : undefined;
  const spiffe = spire !== undefined ? new SpiffeWorkloads(spire.server, agents, spire.certs) : undefined;

  // The datapath, with Hubble and the L7 proxy.
  const emitter = new HubbleEmitter({
    clock,
    seed: options.seed,
    clusterName: options.clusterName,
    endpoint: (ip) => endpoints.byIp(ip),
    identityOf,
    encrypted: (src, dst) => {
      if (options.encryption === 'disabled') return false;
      const a = endpoints.byIp(src)?.nodeName;
      const b = endpoints.byIp(dst)?.nodeName;
      return a !== undefined && b !== undefined && a !== b;
    },
    names: (ip) => fqdn.namesOf(ip),
    // A node's agent writes to the same ring (HubbleObserver.nodeRing), so a flow of a node
    // without an agent lands where it would with one.
    ring: (node) => hubble.nodeRing(node),
    recorded: (rec) => {
      if (events.listening('flow')) events.emitNow('flow', rec.flow);
    },
  });
  const egressGateway = new EgressGatewayManager({
    config,
    state: () => api.state,
    endpoints: () => endpoints.list(),
    log: (node, line) => {
      for (const agent of node === undefined ? agents.list() : [agents.get(node)])
        agent?.log.write({ atEpochMs: clock.epochMs(), ...line });
    },
  });
  const network = new Network({
    scheduler,
    emit: emitter,
    endpoint: (ip) => endpoints.byIp(ip),
    identityOf,
    node: (name) => agents.node(name),
    nodeOfIp: (ip) => agents.nodeOfIp(ip),
    policy: (ep) => policy.policyMap(ep.identity),
    // Audit mode is a setting of the endpoint, which the datapath's view does not carry; asked only on a drop.
    auditMode: (ep) => {
      const full = endpoints.byIp(ep.ip);
      return full !== undefined && (config.get('policy-audit-mode') || endpoints.policyAuditMode(full));
    },
    authMap: (name) => agents.get(name)!.authMap,
    requestAuth: (name, key) => agents.get(name)?.authManager?.signal(key),
    // Asked once per connection to the world: an egress gateway policy first, else masquerading to the node.
    worldExit: (src, node, dst) =>
      egressGateway.exit(src, node, dst) ?? {
        kind: 'masquerade',
        ip: config.get('enable-ipv4-masquerade') ? (agents.node(node)?.ip ?? src) : src,
      },
    proxy: (answer) =>
      new L7Proxy({
        scheduler,
        emit: emitter,
        answer,
        learnDns: (client, name, ips, ttl) => fqdn.learn(client, name, ips, ttl),
        dnsRejectCode: () => (config.get('tofqdns-dns-reject-response-code') === 'nameError' ? 'NXDOMAIN' : 'REFUSED'),
        names,
        workloadSvid: (ip, viewer) => {
          const ep = endpoints.byIp(ip);
          return ep === undefined || !tlsUpgrade() ? undefined : spiffe?.svidOf(ep, viewer);
        },
      }),
  });
  const gatewayOperator = new GatewayOperator(config, rng.fork('envoy'), rng.fork('gateway-objects'));
  // The operator's reconciliation needs the whole runtime, which exists only once built.
  let built: Runtime | undefined;
  applyConfigEffects(config, {
    policy,
    monitor: network.datapath.monitor,
    authMaps: () => agents.list().map((a) => a.authMap),
    tiersImplemented: tiersImplemented(options.ciliumVersion),
    egressGateway,
    gateways: { reconcile: () => built !== undefined && reconcileGateways(built) },
  });

  // The nodes join, each with its agent (and SPIRE agent), whose pods started with the cluster.
  const nodeIds = rng.fork('node-id');
  const podsStartedAtMs = clock.epochMs() - BOOTSTRAP_AGE_MS;
  for (const node of listObjects(api.state, 'Node')) {
    const name = node.metadata.name;
    const isApiServer = node.metadata.labels['node-role.kubernetes.io/control-plane'] !== undefined;
    const ref = { name, ip: nodeIp(node), id: nodeIds.int(1, 65535) };
    network.addHostStack(ref, isApiServer);
    // Envoy's source address for the backends of Gateways and Ingresses: one of the node's pod
    // CIDR that pods never get (its last), with the reserved ingress identity.
    const [net, bits] = node.spec.podCIDR.split('/');
    const ingressIp = intToIp(ipToInt(net!) + 2 ** (32 - Number(bits)) - 1);
    network.addIngressStack(ref, ingressIp);
    ipcache.upsert(ingressIp, { identity: ReservedIdentity.ingress, hostIp: ref.ip, nodeName: name });
    const agent = new Agent({
      node: ref,
      clock,
      scheduler,
      config,
      build: agentBuild(options.ciliumVersion),
      flows: hubble.nodeRing(name),
      ...(spire === undefined
        ? {}
        : {
            spire: {
              server: spire.server,
              rng: rng.fork('spire').fork(`node-uid/${name}`),
              clusterName: options.clusterName,
              startedAtMs: podsStartedAtMs,
              ...(spire.mutualAuth ? { mutualAuth: { certs: spire.certs, nodeById: (id: number) => agents.nodeById(id) } } : {}),
            },
          }),
    });
    agents.add(agent, isApiServer);
    agent.start(podsStartedAtMs);
  }

  // Tetragon's agents, one per node, when the cluster runs Tetragon.
  const tetragon = options.tetragon
    ? new Tetragon({
        clock,
        rng: rng.fork('tetragon'),
        nodes: agents.list().map((a) => a.node.name),
        emit: (e) => events.emitNow('runtime-event', e),
      })
    : undefined;

  // The operator and the watchers.
  const operator = new CiliumOperator(scheduler, spire?.operatorEntries === true ? spire.server : undefined, () =>
    identities
      .list()
      .filter((i) => i.cidr === undefined && i.id < LOCAL_IDENTITY_BASE)
      .map((i) => i.id),
  );
  const watchers = new Watchers({
    allocator: identities,
    ipcache,
    endpoints,
    namedPorts,
    stacks: network,
    lb: network.lb,
    engine: policy,
    rulesOf: (obj) => admission.rulesOf(obj),
    clusterName: options.clusterName,
    zone: clusterDnsZone(() => api.state, options.externalHosts),
    nowNs: () => clock.nowNs,
    nodeIp: (node) => agents.node(node)?.ip ?? '',
    ...(spire === undefined ? {} : { spire: { health: spire.health, scheduler } }),
    egressGateway,
    identitiesCreated: (ids) => {
      operator.syncIdentities();
      for (const id of ids) events.emitAfter('identity-created', id);
    },
  });
  if (spire !== undefined && spiffe !== undefined) {
    // With the extension on, pods' SPIFFE IDs become endpoint labels, and an entry change
    // re-syncs the endpoints at once (a pod that gains or loses an ID moves to another
    // identity), as the fork's agent did. Switching the extension re-syncs every pod.
    const resolve = (): void => endpoints.setSpiffeResolver(tlsUpgrade() ? (pod) => spiffe.idsOf(pod) : undefined);
    resolve();
    config.onChange((key) => {
      if (key !== 'enable-spiffe-tls-upgrade') return;
      resolve();
      watchers.resyncPods(api.state);
    });
    spire.server.subscribe((e) => {
      if (tlsUpgrade() && e.type !== 'health-changed' && affectsWorkloads(e.entry)) watchers.resyncPods(api.state);
    });
  }

  const rt: Runtime = {
    options,
    clock,
    scheduler,
    rng,
    execRng: rng.fork('workload'),
    events,
    config,
    hubble,
    identities,
    ipcache,
    namedPorts,
    endpoints,
    api,
    applyContext,
    admission,
    policyContext,
    policy,
    agents,
    fqdn,
    spire,
    tetragon,
    network,
    egressGateway,
    gatewayOperator,
    operator,
    watchers,
  };
  built = rt;
  boot(rt);
  return rt;
}

/** SPIRE's server with Cilium's own entries, and the certificates the agents will ask for. */
function startSpire(options: ResolvedOptions, clock: Clock, scheduler: Scheduler, rng: Rng, agents: Agents): SpireRuntime {
  const server = new SpireServer({ clock, scheduler, rng: rng.fork('spire').fork('server'), trustDomain: options.trustDomain });
  if (options.spire.operatorEntries) ensureCiliumEntries(server);
  return {
    server,
    health: new SpireHealth(server, agents),
    certs: new AgentCertificates(server, agents, clock),
    mutualAuth: options.mutualAuth,
    operatorEntries: options.spire.operatorEntries,
  };
}

/** The bootstrap objects reach the watchers; the agents connect to SPIRE; the timers start. */
function boot(rt: Runtime): void {
  if (rt.spire?.mutualAuth === true) scheduleAuthGc(rt);
  rt.watchers.sync(EMPTY_K8S_STATE, rt.api.state);
  reconcileGateways(rt);
  rt.scheduler.runUntilIdle();
  for (const agent of rt.agents.list()) agent.delegate?.connect();
  scheduleIdentityGc(rt);
}
