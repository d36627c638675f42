import { hubble, isSimError, type Cluster, type CurlResult } from '@cilium-sim/core';
import type { ConnectivityCheck, DnsCheck, FlowObservedCheck } from '../scenarioTask.ts';
import { failed, PASS, resolveWorkload, type CheckOutcome } from './checkTarget.ts';

/**
 * How long a probe waits to connect, on the virtual clock. Longer than the SYN
 * retransmissions a mutual-auth handshake needs (the first SYN is dropped, the next one
 * about 1 s later passes), short enough not to move the learner's clock far.
 */
export const PROBE_CONNECT_TIMEOUT_MS = 5000;

/**
 * Sends the check's request from its workload and compares the outcome. The probe is real
 * traffic: it moves the virtual clock by what it took, its flows stay in Hubble (a learner
 * sees them in `hubble observe`), and it may trigger a mutual-auth handshake, as the same
 * curl typed by the learner would. Nothing else in the cluster changes.
 */
export function checkConnectivity(cluster: Cluster, check: ConnectivityCheck): CheckOutcome {
  const target = resolveWorkload(cluster, check.from);
  if ('error' in target) return failed(target.error);
  const space = check.request.indexOf(' ');
  const method = space < 0 ? 'GET' : check.request.slice(0, space);
  const url = space < 0 ? check.request : check.request.slice(space + 1).trim();
  let result: CurlResult;
  try {
    result = cluster.exec(target.pod).curl({ url, method, connectTimeoutMs: PROBE_CONNECT_TIMEOUT_MS });
  } catch (e) {
    if (isSimError(e)) return failed(`${check.request} from ${check.from} could not run: ${e.message}`);
    throw e;
  }
  const got = outcomeText(result);
  const as = `${check.request} from ${check.from}`;
  switch (check.expect) {
    case 'allowed':
      return result.kind === 'response' && result.response.status < 400 ? PASS : failed(`${as} should succeed, but ${got}`);
    case 'http-403':
      return result.kind === 'response' && result.response.status === 403
        ? PASS
        : failed(`${as} should be refused by the L7 proxy (403), but ${got}`);
    case 'timeout':
      return result.kind === 'error' && result.code === 28 ? PASS : failed(`${as} should be dropped (curl times out), but ${got}`);
  }
}

function outcomeText(r: CurlResult): string {
  if (r.kind === 'response') return `it got HTTP ${r.response.status}`;
  if (r.code === 28) return 'it timed out (dropped: see hubble observe --type drop)';
  if (r.code === 6) return 'the name did not resolve (curl exit 6)';
  if (r.code === 7) return 'the connection was refused (curl exit 7)';
  return `curl failed with exit code ${r.code}`;
}

/** Looks the name up from the check's workload, through its resolver and any DNS proxy. */
export function checkDns(cluster: Cluster, check: DnsCheck): CheckOutcome {
  const target = resolveWorkload(cluster, check.from);
  if ('error' in target) return failed(target.error);
  const r = cluster.exec(target.pod).nslookup(check.name);
  const as = `${check.name} looked up from ${check.from}`;
  if (check.expect === 'resolves') return r.ok ? PASS : failed(`${as} should resolve, but got ${r.rcode}`);
  return !r.ok && r.rcode === 'REFUSED'
    ? PASS
    : failed(`${as} should be REFUSED, but ${r.ok ? `it resolved to ${r.ips.join(', ')}` : `got ${r.rcode}`}`);
}

/** Filter keys with no `hubble observe` flag of their own, matched on the flow directly. */
const DIRECT_KEYS = new Set(['authType']);

/**
 * Looks for a recorded flow matching the check's filter. The keys are `hubble observe` flags
 * in camelCase (`fromPod`, `toPod`, `verdict`, `type`, `dropReasonDesc`, ...), plus `authType`
 * (SPIRE, DISABLED), which Hubble prints on policy verdicts but cannot filter on.
 */
export function checkFlowObserved(cluster: Cluster, check: FlowObservedCheck): CheckOutcome {
  const argv = Object.entries(check.filter)
    .filter(([k]) => !DIRECT_KEYS.has(k))
    .flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v]);
  let args: hubble.ObserveArgs;
  try {
    args = hubble.parseObserveArgs(argv, cluster.now().epochMs);
  } catch (e) {
    if (isSimError(e)) return failed(`the check's filter is not valid: ${e.message}`);
    throw e;
  }
  const authType = check.filter['authType'];
  const flows = cluster
    .flows({ whitelist: args.whitelist, blacklist: args.blacklist })
    .filter((f) => authType === undefined || f.auth_type === authType);
  const command = `hubble observe ${argv.join(' ')}${authType === undefined ? '' : ` (Auth: ${authType})`}`;
  if (check.expect === 'present') return flows.length > 0 ? PASS : failed(`no flow matches ${command}`);
  return flows.length === 0 ? PASS : failed(`${flows.length} flow(s) match ${command}; none should`);
}
