import { type Cluster, type EnforcementState, formatLabel, LISTED_RESERVED_IDENTITIES, reservedLabels } from '@cilium-sim/core';
import { ok, type CommandIo, type CommandResult } from '../shell/command.ts';
import { agentReport } from '../cilium/agentReport.ts';
import { parseCilium, type CiliumBinary } from '../cilium/args.ts';
import { clusterStatus } from '../cilium/clusterStatus.ts';
import { formatAgentStatus } from '../cilium/printers/agentStatus.ts';
import { formatConfigDelete, formatConfigSet, formatConfigView } from '../cilium/printers/config.ts';
import {
  formatAgentEncryptStatus,
  formatClusterEncryptStatus,
  formatEncryptionStatusJson,
  type EncryptionMode,
} from '../cilium/printers/encryptStatus.ts';
import { formatEgressList, formatEgressListJson } from '../cilium/printers/egressList.ts';
import { formatEndpointList, type EndpointListEntry } from '../cilium/printers/endpointList.ts';
import { formatIdentityList } from '../cilium/printers/identityList.ts';
import { formatCiliumStatus } from '../cilium/printers/status.ts';
import { formatAgentVersion, formatCliVersion } from '../cilium/printers/version.ts';
import type { CliContext, CommandHandler } from './cliContext.ts';

/** `cilium ...` on the host: cilium-cli, with the agent's debug commands cluster-wide. */
export const cilium: CommandHandler = (ctx, args, io) => runCiliumAgentCli(ctx, 'cilium', args, undefined, io);

/** `cilium-dbg ...` on the host: the agent's debug CLI, answered cluster-wide, in its own name. */
export const ciliumDbg: CommandHandler = (ctx, args, io) => runCiliumAgentCli(ctx, 'cilium-dbg', args, undefined, io);

/**
 * The cilium CLI. In an agent pod (`node` given) the debug commands see that node only, as
 * `cilium-dbg` does; on the host they see the whole cluster.
 */
export function runCiliumAgentCli(
  ctx: CliContext,
  binary: CiliumBinary,
  args: readonly string[],
  node: string | undefined,
  _io: CommandIo,
): CommandResult {
  const cluster = ctx.cluster;
  if (args[0] === 'endpoint' && args[1] === 'config') return endpointConfig(cluster, args.slice(2), node);
  const tool = node !== undefined || binary === 'cilium-dbg' ? 'agent' : 'cli';
  const req = parseCilium(binary, args, tool);
  const mode: EncryptionMode =
    cluster.options.encryption === 'wireguard' ? 'Wireguard' : cluster.options.encryption === 'ipsec' ? 'IPsec' : 'Disabled';
  switch (req.command) {
    case 'status':
      // cilium-dbg's FormatStatusResponseBrief: `OK`, or the first unhealthy component's message.
      // The simulated agent never reports one unhealthy, so its one line is always OK.
      if (req.brief) return ok('OK\n');
      return ok(
        tool === 'cli' ? formatCiliumStatus(clusterStatus(cluster)) : formatAgentStatus(agentReport(cluster, node ?? firstNode(cluster))),
      );
    case 'config-view':
      return ok(formatConfigView(cluster.inspect.config()));
    case 'config-set':
      cluster.setConfig(req.key, req.value);
      if (req.restart) cluster.restartAgents();
      return ok(formatConfigSet(req.key, req.value, req.restart));
    case 'config-delete':
      cluster.deleteConfig(req.key);
      if (req.restart) cluster.restartAgents();
      return ok(formatConfigDelete(req.key, req.restart));
    case 'endpoint-list':
      return ok(formatEndpointList(endpointEntries(cluster, node), { noHeaders: req.noHeaders }));
    case 'identity-list':
      return ok(formatIdentityList(identityEntries(cluster, node), { endpoints: req.endpoints }));
    case 'encrypt-status':
      return ok(node === undefined ? formatClusterEncryptStatus(cluster.inspect.nodes().map(() => mode)) : formatAgentEncryptStatus(mode));
    case 'encryption-status':
      return encryptionStatus(cluster, mode, req);
    case 'policy-trace': {
      const src = req.srcPod !== undefined ? `${req.srcPod.namespace}/${req.srcPod.name}` : req.srcIdentity;
      const dst = req.dstPod !== undefined ? `${req.dstPod.namespace}/${req.dstPod.name}` : req.dstIdentity;
      if ((src === undefined && req.srcLabels.length > 0) || (dst === undefined && req.dstLabels.length > 0)) {
        const flag = src === undefined && req.srcLabels.length > 0 ? '--src' : '--dst';
        return {
          stdout: '',
          stderr: `Error: ${flag} label contexts are not modelled in cilium-sim; name the endpoint with ${flag}-k8s-pod NS:POD or ${flag}-identity ID\n`,
          exitCode: 1,
        };
      }
      if (src === undefined || dst === undefined)
        return {
          stdout: '',
          stderr: 'Error: a source and a destination are required: --src-k8s-pod NS:POD or --src-identity ID, and the same for --dst\n',
          exitCode: 1,
        };
      const port = req.dports[0] ?? { port: 80, protocol: 'TCP' as const };
      const trace = cluster.policyTrace(src, dst, port.port, port.protocol === 'ANY' ? 'TCP' : port.protocol);
      return ok(trace.text);
    }
    case 'bpf-egress-list': {
      const rows = cluster.inspect.egressMap(node);
      if (rows === undefined) return { stdout: '', stderr: 'Cannot find egress gateway bpf maps\n', exitCode: 1 };
      if (req.json) return ok(formatEgressListJson(rows));
      return { ...formatEgressList(rows), exitCode: 0 };
    }
    case 'version':
      return ok(
        tool === 'cli' ? formatCliVersion(cluster.options.ciliumVersion, req.client) : formatAgentVersion(cluster.options.ciliumVersion),
      );
    case 'endpoint-get':
    case 'identity-get':
      return {
        stdout: '',
        stderr: `Error: cilium ${req.command.replace('-', ' ')} is not modelled in cilium-sim; use the list command\n`,
        exitCode: 1,
      };
  }
}

/**
 * `cilium-dbg endpoint config ID PolicyAuditMode=Enabled|Disabled`: per-endpoint policy audit
 * mode, the only endpoint option the simulator models.
 */
function endpointConfig(cluster: Cluster, args: readonly string[], node: string | undefined): CommandResult {
  const [idText, ...settings] = args;
  const ep = cluster.inspect.endpoints().find((e) => String(e.id) === idText && (node === undefined || e.nodeName === node));
  if (idText === undefined || ep === undefined)
    return {
      stdout: '',
      stderr: `Error: Cannot get endpoint ${idText ?? ''}: [GET /endpoint/{id}][404] getEndpointIdNotFound\n`,
      exitCode: 1,
    };
  for (const s of settings) {
    const m = /^PolicyAuditMode=(Enabled|Disabled|true|false)$/i.exec(s);
    if (m === null)
      return {
        stdout: '',
        stderr: `Error: Unknown or unsupported option: ${s} (cilium-sim models PolicyAuditMode=Enabled|Disabled)\n`,
        exitCode: 1,
      };
    cluster.setEndpointAuditMode(`${ep.namespace}/${ep.podName}`, /^(enabled|true)$/i.test(m[1]!));
  }
  return ok(`Endpoint ${ep.id} configuration updated successfully\n`);
}

function endpointEntries(cluster: Cluster, node: string | undefined): EndpointListEntry[] {
  const entries: EndpointListEntry[] = [];
  for (const n of cluster.inspect.nodes()) {
    if (node !== undefined && n.name !== node) continue;
    // The host endpoint: identity 1, no address of its own in the list.
    entries.push({
      id: hostEndpointId(n.id),
      policyIngress: 'Disabled',
      policyEgress: 'Disabled',
      identity: 1,
      labels: ['reserved:host'],
      addressing: undefined,
      state: 'ready',
    });
  }
  for (const ep of cluster.inspect.endpoints()) {
    if (node !== undefined && ep.nodeName !== node) continue;
    const enforcement = cluster.inspect.enforcement(ep);
    entries.push({
      id: ep.id,
      policyIngress: POLICY_CELL[enforcement.ingress],
      policyEgress: POLICY_CELL[enforcement.egress],
      identity: ep.identity,
      labels: ep.identityLabels.map(formatLabel),
      addressing: { ipv4: ep.ip, ipv6: '' },
      state: 'ready',
    });
  }
  return entries.sort((a, b) => a.id - b.id);
}

/** `cilium endpoint list`'s POLICY columns for each enforcement state. */
const POLICY_CELL: Readonly<Record<EnforcementState, EndpointListEntry['policyIngress']>> = {
  enforcing: 'Enabled',
  'non-enforcing': 'Disabled',
  audit: 'Disabled (Audit)',
};

/** The host endpoint's ID on a node: fixed per node so listings are stable. */
function hostEndpointId(nodeId: number): number {
  return (nodeId % 4000) + 1;
}

function identityEntries(cluster: Cluster, node: string | undefined): { id: number; labels: string[]; refCount: number }[] {
  const local = cluster.inspect.endpoints().filter((e) => node === undefined || e.nodeName === node);
  const reserved = LISTED_RESERVED_IDENTITIES.map((id) => ({
    id,
    labels: reservedLabels(id).map(formatLabel),
    refCount: id === 1 ? 1 : 0,
  }));
  const allocated = cluster.inspect
    .identities()
    .map((i) => ({ id: i.id, labels: i.labels.map(formatLabel), refCount: local.filter((e) => e.identity === i.id).length }));
  return [...reserved, ...allocated];
}

/** cilium-dbg run on the host (a simulator convenience) reports the first node's agent. */
function firstNode(cluster: Cluster): string {
  return cluster.inspect.nodes()[0]?.name ?? '';
}

/**
 * cilium-cli's `cilium encryption status`: every agent's mode summed up, per node with
 * `--per-node-details` or for one node with `--node`, or cilium-cli's JSON summary.
 */
function encryptionStatus(
  cluster: Cluster,
  mode: EncryptionMode,
  req: { readonly json: boolean; readonly perNodeDetails: boolean; readonly node: string | undefined },
): CommandResult {
  const nodes = cluster.inspect.nodes().filter((n) => req.node === undefined || n.name === req.node);
  if (nodes.length === 0)
    return { stdout: '', stderr: `Error: Unable to get Cilium pod for node ${JSON.stringify(req.node)}\n`, exitCode: 1 };
  if (req.json) return ok(formatEncryptionStatusJson(nodes.map(() => mode)));
  const summary = formatClusterEncryptStatus(nodes.map(() => mode));
  if (!req.perNodeDetails) return ok(summary);
  return ok(nodes.map((n) => `Node: ${n.name}\n${formatAgentEncryptStatus(mode)}`).join('') + summary);
}
