import { isSimError, type Cluster, type CurlResult } from '@cilium-sim/core';
import type { ConnectivityCheck, DnsCheck, FlowObservedCheck } from '../scenarioTask.ts';
import { failed, PASS, resolveWorkload, type CheckOutcome } from './checkTarget.ts';
import { flowCheckFilter } from './flowCheckFilter.ts';

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

/**
 * Looks for a recorded flow matching the check's filter (see flowCheckFilter: keys such as
 * `fromPod`, `toPod`, `verdict`, `type`, `dropReasonDesc`, `authType`). A failure names the
 * `hubble observe` command a learner would type to look for it.
 */
export function checkFlowObserved(cluster: Cluster, check: FlowObservedCheck): CheckOutcome {
  let wanted: ReturnType<typeof flowCheckFilter>;
  try {
    wanted = flowCheckFilter(check.filter);
  } catch (e) {
    if (isSimError(e)) return failed(`the check's filter is not valid: ${e.message}`);
    throw e;
  }
  const flows = cluster.flows({ whitelist: [wanted.filter] }).filter(wanted.matches);
  const authType = check.filter['authType'];
  const flags = Object.entries(check.filter)
    .filter(([k]) => k !== 'authType')
    .flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v]);
  const command = `hubble observe ${flags.join(' ')}${authType === undefined ? '' : ` (Auth: ${authType})`}`;
  if (check.expect === 'present') return flows.length > 0 ? PASS : failed(`no flow matches ${command}`);
  return flows.length === 0 ? PASS : failed(`${flows.length} flow(s) match ${command}; none should`);
}
